package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.List;

import com.github.kagkarlsson.scheduler.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.effects.EffectBacklog;
import io.mutationhooks.effects.EffectStatus;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delete in a {@code REQUIRES_NEW} transaction cleans up its objects with its own commit, whatever the transaction
 * around it does, and a rollback of either keeps the objects of its own deletes, in both orders. A delete in a
 * {@code NESTED} transaction cleans up with the outer commit, unless rolled back to its savepoint, which also releases
 * the leases of its writes.
 */
class S3CleanupOfNestedTransactionsIntegrationTests extends S3ProxyIntegrationTestSupport {

	@Autowired
	MemberRepository members;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	EffectBacklog backlog;

	@Autowired
	Scheduler scheduler;

	@Test
	void anInnerTransactionThatCommitsCleansUpAlthoughTheOuterOneRollsBack() {
		Member outer = member("outer");
		Member inner = member("inner");

		transaction(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(status -> {
			this.members.delete(outer);
			transaction(TransactionDefinition.PROPAGATION_REQUIRES_NEW)
				.executeWithoutResult(innerStatus -> this.members.delete(inner));
			status.setRollbackOnly();
		});

		awaitGone(AVATARS, "inner.png");
		flushCleanup();
		assertThat(exists(AVATARS, "outer.png")).as("the avatar of the member whose delete rolled back").isTrue();
		assertThat(this.members.findAll()).extracting(Member::getName).containsExactly("outer");
	}

	@Test
	void anOuterTransactionThatCommitsCleansUpAlthoughTheInnerOneRolledBack() {
		Member outer = member("outer");
		Member inner = member("inner");

		transaction(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(status -> {
			this.members.delete(outer);
			transaction(TransactionDefinition.PROPAGATION_REQUIRES_NEW).executeWithoutResult(innerStatus -> {
				this.members.delete(inner);
				innerStatus.setRollbackOnly();
			});
		});

		awaitGone(AVATARS, "outer.png");
		flushCleanup();
		assertThat(exists(AVATARS, "inner.png")).as("the avatar of the member whose delete rolled back").isTrue();
		assertThat(this.members.findAll()).extracting(Member::getName).containsExactly("inner");
	}

	@Test
	void aNestedTransactionRolledBackToItsSavepointRequestsNoCleanupOfItsDeletes() {
		Member outer = member("outer");
		Member inner = member("inner");
		this.scheduler.pause();

		transaction(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(status -> {
			this.members.delete(outer);
			transaction(TransactionDefinition.PROPAGATION_NESTED).executeWithoutResult(nestedStatus -> {
				this.members.delete(inner);
				nestedStatus.setRollbackOnly();
			});
		});

		List<String> requested = this.backlog.list(EffectStatus.PENDING, 100)
			.stream()
			.flatMap(effect -> effect.payloads().stream())
			.toList();
		assertThat(requested).anyMatch(payload -> payload.contains("outer.png"))
			.noneMatch(payload -> payload.contains("inner.png"));
		this.scheduler.resume();
		awaitGone(AVATARS, "outer.png");
		flushCleanup();
		assertThat(exists(AVATARS, "inner.png")).as("the avatar of the member whose delete rolled back").isTrue();
		assertThat(this.members.findAll()).extracting(Member::getName).containsExactly("inner");
	}

	@Test
	void aNestedTransactionThatCommitsCleansUpWithTheOuterCommit() {
		Member outer = member("outer");
		Member inner = member("inner");

		transaction(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(status -> {
			this.members.delete(outer);
			transaction(TransactionDefinition.PROPAGATION_NESTED)
				.executeWithoutResult(nestedStatus -> this.members.delete(inner));
		});

		awaitGone(AVATARS, "outer.png");
		awaitGone(AVATARS, "inner.png");
		assertThat(this.members.findAll()).isEmpty();
	}

	@Test
	void theLeaseOfACreateRolledBackToItsSavepointIsReleasedAtOnceAndTheOuterOnesKept() {
		put(AVATARS, "outer.png");
		put(AVATARS, "inner.png");
		List<String> leasedAfterTheRollback = new ArrayList<>();

		transaction(TransactionDefinition.PROPAGATION_REQUIRED).executeWithoutResult(status -> {
			this.members.save(new Member("outer", "outer.png"));
			transaction(TransactionDefinition.PROPAGATION_NESTED).executeWithoutResult(nestedStatus -> {
				this.members.save(new Member("inner", "inner.png"));
				nestedStatus.setRollbackOnly();
			});
			leasedAfterTheRollback.addAll(leased());
		});

		assertThat(leasedAfterTheRollback).containsExactly("outer.png");
		assertThat(leased()).as("released when the transaction ended").isEmpty();
		assertThat(this.members.findAll()).extracting(Member::getName).containsExactly("outer");
	}

	@AfterEach
	void resumeScheduler() {
		this.scheduler.resume();
	}

	/** The leased objects of this class's tests (another test may leave a lease of its own to expire). */
	private List<String> leased() {
		return this.jdbc.queryForList("SELECT object_key FROM mutation_hooks_s3_lease WHERE object_key IN "
				+ "('outer.png', 'inner.png') ORDER BY object_key", String.class);
	}

	private Member member(String name) {
		put(AVATARS, name + ".png");
		return this.members.save(new Member(name, name + ".png"));
	}

	private TransactionTemplate transaction(int propagation) {
		TransactionTemplate template = new TransactionTemplate(this.transactionManager);
		template.setPropagationBehavior(propagation);
		return template;
	}

}
