// Applies the @nestjs/swagger CLI plugin under ts-jest, the way `nest build` applies it
// (see nest-cli.json), so DTOs document themselves in tests too.
const transformer = require('@nestjs/swagger/plugin');

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (compiler) =>
  transformer.before(
    { classValidatorShim: true, introspectComments: true, dtoFileNameSuffix: ['.dto.ts', '.response.ts'] },
    compiler.program,
  );
