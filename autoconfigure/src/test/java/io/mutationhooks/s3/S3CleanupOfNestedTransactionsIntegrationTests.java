package io.mutationhooks.s3;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delete in a {@code REQUIRES_NEW} transaction cleans up its objects with its own commit, whatever the transaction
 * around it does, and a rollback of either keeps the objects of its own deletes, in both orders.
 */
class S3CleanupOfNestedTransactionsIntegrationTests extends S3ProxyIntegrationTestSupport {

	@Autowired
	MemberRepository members;

	@Autowired
	PlatformTransactionManager transactionManager;

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
