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
declare module 'graphql-upload/Upload.mjs' {
  import type { Readable } from 'node:stream';
  /** One file of a GraphQL multipart request, as resolvers receive it (after awaiting the promise). */
  export interface FileUpload {
    filename: string;
    mimetype: string;
    encoding: string;
    /** A new stream of the file's bytes; errors with status 413 when the file went over the size limit. */
    createReadStream(): Readable;
  }
}
