// graphql-upload 17 ships JavaScript with JSDoc types only; this declares what we use.
declare module 'graphql-upload/graphqlUploadExpress.mjs' {
  import type { RequestHandler } from 'express';
  export default function graphqlUploadExpress(options?: {
    maxFileSize?: number;
    maxFiles?: number;
    maxFieldSize?: number;
  }): RequestHandler;
}
declare module 'graphql-upload/GraphQLUpload.mjs' {
  import type { GraphQLScalarType } from 'graphql';
  const GraphQLUpload: GraphQLScalarType;
  export default GraphQLUpload;
}
