import { defineEvent } from '@app/platform';
import { z } from 'zod';

/** Asks the worker to build a queued report; the report row itself holds the details. */
export const ReportRequested = defineEvent('report.requested', z.object({ reportId: z.uuid() }));
