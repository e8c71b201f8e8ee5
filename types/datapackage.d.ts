/** The part of Frictionless' datapackage library the tests use (it ships no types). */
declare module 'datapackage' {
  const datapackage: {
    validate(descriptor: unknown): Promise<{ valid: boolean; errors: Error[] }>;
  };
  export default datapackage;
}
