/** The methods the API's operations use, in the order the document post-processors visit them. */
export const OPENAPI_OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
