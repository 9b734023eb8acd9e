// Imported by main.ts right after the Node version check, before anything OpenTelemetry
// instruments is loaded; a module of its own so that the call runs before main's other imports.
import { startTracing } from '@app/platform/start-tracing';

startTracing('commerce-worker');
