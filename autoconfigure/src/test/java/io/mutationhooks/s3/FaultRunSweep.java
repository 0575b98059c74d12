package io.mutationhooks.s3;

import org.springframework.context.ApplicationContext;

import io.mutationhooks.s3.sweep.OrphanSweeper;
import io.mutationhooks.s3.sweep.SweepMode;
import io.mutationhooks.s3.sweep.SweepReport;

/**
 * The fault run's one sweep: through the application's {@link OrphanSweeper}, in delete mode, with the grace period
 * the run configures for the bucket (0 s: after quiescence every object is old enough).
 */
final class FaultRunSweep {

	private final ApplicationContext context;

	FaultRunSweep(ApplicationContext context) {
		this.context = context;
	}

	/** Sweeps {@code bucket} and says what the sweep did: {@code orphans=<n> ...} then the report's summary. */
	String sweep(String bucket) {
		SweepReport report = this.context.getBean(OrphanSweeper.class).sweep(bucket, SweepMode.DELETE);
		return "orphans=" + report.orphans() + " scanned=" + report.scanned() + " referenced=" + report.referenced()
				+ " young=" + report.young() + " failed=" + report.failed() + " complete=" + report.complete() + " | "
				+ report.summary();
	}

}
