// Every new file of a generated feature lib, by path from the repository root.
import { controllerFiles } from './controller.mjs';
import { dtoFiles } from './dto.mjs';
import { e2eSpecFiles } from './e2e-spec.mjs';
import { featureFiles } from './feature.mjs';
import { repositoryFiles } from './repository.mjs';
import { serviceSpecFiles } from './service-spec.mjs';
import { serviceFiles } from './service.mjs';

export { migrationFile } from './migration.mjs';

export const featureLibFiles = (n) => ({
  ...featureFiles(n),
  ...repositoryFiles(n),
  ...serviceFiles(n),
  ...controllerFiles(n),
  ...dtoFiles(n),
  ...serviceSpecFiles(n),
  ...e2eSpecFiles(n),
});
