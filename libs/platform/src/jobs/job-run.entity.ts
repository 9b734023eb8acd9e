import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One scheduled job's run for one period (the cron tick it belongs to): claimed in the
 * job's lock transaction, so a second instance whose tick fires later for the same
 * period finds it and skips (see ExclusiveJobRunner).
 */
@Entity('job_runs')
export class JobRunEntity {
  @PrimaryColumn('text')
  job: string;

  @PrimaryColumn('timestamptz', { name: 'period_start' })
  periodStart: Date;

  @Column('timestamptz', { name: 'ran_at', default: () => 'now()' })
  ranAt: Date;
}
