import { env, parseEnv } from '@app/platform';
import { registerAs } from '@nestjs/config';
import { z } from 'zod';

export const filesConfig = registerAs('files', () => {
  const vars = parseEnv('files', {
    FILES_STORAGE: z.enum(['local', 's3']).default('local'),
    FILES_LOCAL_DIR: z.string().min(1).default('.data/files'),
    FILES_MAX_BYTES: env.int(1024 * 1024 * 1024, 1),
    S3_BUCKET: z.string().optional(),
    S3_ENDPOINT: z.string().url().optional(),
    S3_REGION: z.string().default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_FORCE_PATH_STYLE: env.bool(true),
  });
  if (vars.FILES_STORAGE === 's3' && !vars.S3_BUCKET) {
    throw new Error('Invalid files configuration: S3_BUCKET is required when FILES_STORAGE=s3');
  }
  return {
    storage: vars.FILES_STORAGE,
    localDir: vars.FILES_LOCAL_DIR,
    maxBytes: vars.FILES_MAX_BYTES,
    s3: {
      bucket: vars.S3_BUCKET ?? '',
      endpoint: vars.S3_ENDPOINT,
      region: vars.S3_REGION,
      accessKeyId: vars.S3_ACCESS_KEY_ID,
      secretAccessKey: vars.S3_SECRET_ACCESS_KEY,
      forcePathStyle: vars.S3_FORCE_PATH_STYLE,
    },
  };
});

export type FilesConfig = ReturnType<typeof filesConfig>;
