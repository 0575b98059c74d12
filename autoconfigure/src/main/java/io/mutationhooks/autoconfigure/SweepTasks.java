package io.mutationhooks.autoconfigure;

import java.util.function.Supplier;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mutationhooks.s3.sweep.OrphanSweeper;
import io.mutationhooks.s3.sweep.SweepAlreadyRunningException;

/**
 * Makes the db-scheduler recurring task that sweeps a bucket on its schedule: db-scheduler runs it on one instance at
 * a time, and a run found already going (asked for on demand, or still running) is skipped until the next time.
 */
final class SweepTasks {

	private static final Logger logger = LoggerFactory.getLogger(SweepTasks.class);

	private static final String TASK_NAME_PREFIX = "mutation-hooks-s3-sweep-";

	private final Supplier<OrphanSweeper> sweeper;

	private final S3SyncProperties properties;

	SweepTasks(Supplier<OrphanSweeper> sweeper, S3SyncProperties properties) {
		this.sweeper = sweeper;
		this.properties = properties;
	}

	/** The name of the task, and of its bean, that sweeps {@code bucket}. */
	static String taskName(String bucket) {
		return TASK_NAME_PREFIX + bucket;
	}

	/** The task that sweeps {@code bucket}, its name in configuration, on the bucket's schedule. */
	RecurringTask<Void> task(String bucket) {
		S3SyncProperties.Sweep sweep = this.properties.getBuckets().get(bucket).getSweep();
		Schedule schedule = S3SyncPropertyChecks.sweepSchedule(bucket, sweep)
			.map(when -> when.cron() != null ? cron(bucket, when.cron()) : Schedules.fixedDelay(when.interval()))
			.orElseThrow();
		return Tasks.recurring(taskName(bucket), schedule).execute((instance, context) -> sweep(bucket));
	}

	private void sweep(String bucket) {
		try {
			// The run logs and stores its report, whatever happens to it.
			this.sweeper.get().sweep(bucket);
		}
		catch (SweepAlreadyRunningException ex) {
			logger.info("Skipping the scheduled sweep of bucket {}: another run is sweeping it", bucket);
		}
	}

	private static Schedule cron(String bucket, String expression) {
		try {
			return Schedules.cron(expression);
		}
		catch (RuntimeException ex) {
			String property = S3SyncProperties.PREFIX + ".buckets." + bucket + ".sweep.cron";
			throw new InvalidPropertyException(property, expression, "it is not a cron expression: " + ex.getMessage(),
					"Set " + property + " to six fields, seconds first, such as '0 0 3 * * *' (every day at 3:00).",
					ex);
		}
	}

}
