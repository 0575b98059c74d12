package io.mutationhooks.s3;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A derived {@code deleteBy...} method cleans up the avatars of the members it deletes, and only theirs: the S3 sync
 * sees the rows it removes, read before it runs.
 */
class S3CleanupOfDerivedDeletesIntegrationTests extends S3ProxyIntegrationTestSupport {

	@Autowired
	MemberRepository members;

	@Test
	void deletingMembersByNameDeletesTheirAvatarsAfterCommitAndKeepsTheOthers() {
		put(AVATARS, "a8m-1.png");
		put(AVATARS, "a8m-2.png");
		put(AVATARS, "lu.png");
		this.members.save(new Member("a8m", "a8m-1.png"));
		this.members.save(new Member("a8m", "a8m-2.png"));
		this.members.save(new Member("lu", "lu.png"));

		this.members.deleteByName("a8m");

		awaitGone(AVATARS, "a8m-1.png");
		awaitGone(AVATARS, "a8m-2.png");
		flushCleanup();
		assertThat(keys(AVATARS)).containsExactly("lu.png");
		assertThat(this.members.findAll()).extracting(Member::getName).containsExactly("lu");
	}

	@Test
	void aDeleteMethodRunningANamedQueryDeletesWhatItsSqlDeletesNotWhatItsNameWouldDerive() {
		put(AVATARS, "keep.png");
		put(AVATARS, "keeper.png");
		this.members.save(new Member("keep", "keep.png"));
		this.members.save(new Member("keeper", "keeper.png"));

		assertThat(this.members.deleteByNameStartingWith("keep")).as("rows its SQL deleted").isOne();

		assertThat(this.members.findAll()).extracting(Member::getName).containsExactly("keeper");
		flushCleanup();
		assertThat(exists(AVATARS, "keeper.png")).isTrue();
	}

}
