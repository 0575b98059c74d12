package io.mutationhooks.s3;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.mutationhooks.s3.sweep.OrphanSweeper;
import io.mutationhooks.s3.sweep.SweepMode;
import io.mutationhooks.s3.sweep.SweepReport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bucket swept on a schedule is swept by db-scheduler's recurring task, in the configured mode, without being
 * asked: here every second, with no grace period.
 */
@TestPropertySource(properties = { "mutation-hooks.s3.buckets.avatars.prefix=app/",
		"mutation-hooks.s3.buckets.avatars.sweep.enabled=true", "mutation-hooks.s3.buckets.avatars.sweep.mode=delete",
		"mutation-hooks.s3.buckets.avatars.sweep.grace-period=0s",
		"mutation-hooks.s3.buckets.avatars.sweep.interval=1s" })
class ScheduledOrphanSweepIntegrationTests extends S3ProxyIntegrationTestSupport {

	private static final String TASK = "mutation-hooks-s3-sweep-avatars";

	@Autowired
	OrphanSweeper sweeper;

	@BeforeEach
	void noReportsYet() {
		this.jdbc.update("DELETE FROM mutation_hooks_s3_sweep_report");
	}

	/** Other test contexts on this database have no such task. */
	@AfterEach
	void removeTheRecurringTask() {
		this.jdbc.update("DELETE FROM scheduled_tasks WHERE task_name = ?", TASK);
	}

	@Test
	void theRecurringTaskDeletesOrphansAndKeepsReferencedObjects() {
		// The row first: with no grace period, an object is swept as soon as it is listed without one.
		insertMember("kept", "app/kept.png");
		put(AVATARS, "app/kept.png");
		put(AVATARS, "app/orphan.png");

		await().atMost(Duration.ofSeconds(30)).until(() -> !exists(AVATARS, "app/orphan.png"));

		assertThat(exists(AVATARS, "app/kept.png")).isTrue();
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = ?", Long.class,
				TASK)).as("one recurring execution").isOne();
		assertThat(this.sweeper.lastReports(AVATARS)).isNotEmpty()
			.allSatisfy(report -> assertThat(report.mode()).isEqualTo(SweepMode.DELETE))
			.anySatisfy(report -> assertThat(report.orphans()).isOne());
		assertThat(this.sweeper.lastReports(AVATARS)).extracting(SweepReport::complete).containsOnly(true);
	}

}
