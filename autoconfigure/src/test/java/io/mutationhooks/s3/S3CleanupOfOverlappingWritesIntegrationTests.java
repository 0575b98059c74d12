package io.mutationhooks.s3;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.mutationhooks.Op;
import io.mutationhooks.jdbc.LockWaits;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;
import io.mutationhooks.testapp.SwitchableHook;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two writes of the same member that overlap, in concurrent transactions or one nested in a hook of the other, leave
 * no avatar behind that a committed write stored and no member refers to any more.
 * <p>
 * Each race holds the first write in its hook, right after it read the member's old state, until the database says
 * the second write finished or waits for a lock. Had the old state been read without a lock, the second write would
 * commit in that window, and the first would clean up the avatar it read instead of the one the second committed.
 */
class S3CleanupOfOverlappingWritesIntegrationTests extends S3ProxyIntegrationTestSupport {

	@Autowired
	MemberRepository members;

	@Autowired
	SwitchableHook hook;

	final ExecutorService threads = Executors.newFixedThreadPool(2);

	/** The avatars a committed write stored in a member. */
	final Set<String> stored = ConcurrentHashMap.newKeySet();

	@AfterEach
	void resetHookAndStopThreads() throws InterruptedException {
		this.hook.reset();
		this.threads.shutdownNow();
		this.threads.awaitTermination(30, TimeUnit.SECONDS);
	}

	@Test
	void anAvatarChangeWaitingForAConcurrentOneLeavesOnlyTheAvatarTheMemberEndsWith() throws Exception {
		Member member = memberWithAvatar("lu-0", "lu-1", "lu-2");

		race(() -> this.members.save(withAvatar(member, "lu-2")), () -> this.members.save(withAvatar(member, "lu-1")));

		assertTheStoredAvatarsLeftAreThoseMembersReferTo();
	}

	@Test
	void aDeleteWaitingForAConcurrentAvatarChangeLeavesNoAvatarTheMemberHad() throws Exception {
		Member member = memberWithAvatar("lu-0", "lu-1");

		race(() -> this.members.deleteById(member.getId()), () -> this.members.save(withAvatar(member, "lu-1")));

		assertThat(this.members.count()).isZero();
		assertTheStoredAvatarsLeftAreThoseMembersReferTo();
	}

	@Test
	void aHookThatChangesTheAvatarOfTheMemberBeingDeletedLeavesNeitherAvatarBehind() {
		Member member = memberWithAvatar("re-0", "re-1");
		this.hook.set(next -> m -> {
			if (m.op() == Op.DELETE_ONE) {
				Member deleted = (Member) m.oldEntity();
				this.members.save(withAvatar(deleted, "re-1"));
			}
			return next.mutate(m);
		});

		this.members.deleteById(member.getId());

		assertThat(this.members.count()).isZero();
		flushCleanup();
		assertThat(keys(AVATARS)).isEmpty();
	}

	/** Puts every avatar in the bucket, and saves a member with the first. */
	private Member memberWithAvatar(String avatar, String... later) {
		put(AVATARS, avatar);
		for (String key : later) {
			put(AVATARS, key);
		}
		Member member = this.members.save(new Member("member", avatar));
		this.stored.add(avatar);
		return member;
	}

	/**
	 * Runs {@code first} until its hook has read the old state, then {@code second}, and lets {@code first} write
	 * once {@code second} has finished or waits for a lock. Either may fail, as an update of a member deleted
	 * meanwhile does; the avatars that committed are recorded.
	 */
	private void race(Runnable first, Runnable second) throws Exception {
		AtomicBoolean firstHeld = new AtomicBoolean();
		CountDownLatch firstReadItsOldState = new CountDownLatch(1);
		CompletableFuture<Future<?>> secondWrite = new CompletableFuture<>();
		this.hook.set(next -> m -> {
			Member old = m.op().is(Op.UPDATE_ONE, Op.DELETE_ONE) ? (Member) m.oldEntity() : null;
			if (firstHeld.compareAndSet(false, true)) {
				firstReadItsOldState.countDown();
				LockWaits.awaitDoneOrWaitingForLock(this.jdbc, secondWrite.get(60, TimeUnit.SECONDS));
			}
			Object written = next.mutate(m);
			// An update of a member deleted meanwhile writes nothing: only one of a member that was there stores.
			if (m.op() == Op.UPDATE_ONE && old != null) {
				String avatar = ((Member) written).getAvatarUrl();
				m.transaction().afterCommit(() -> this.stored.add(avatar));
			}
			return written;
		});
		Future<?> firstWrite = this.threads.submit(first);
		assertThat(firstReadItsOldState.await(60, TimeUnit.SECONDS)).as("the first write read its old state").isTrue();
		secondWrite.complete(this.threads.submit(second));
		finish(firstWrite);
		finish(secondWrite.join());
	}

	/**
	 * Once the cleanup has caught up, an avatar a committed write stored is in the bucket exactly when a member
	 * refers to it. Avatars put for a write that never committed are the application's to delete.
	 */
	private void assertTheStoredAvatarsLeftAreThoseMembersReferTo() {
		flushCleanup();
		List<String> referred = this.jdbc.queryForList("SELECT avatar_url FROM member", String.class);
		List<String> left = keys(AVATARS).stream().filter(this.stored::contains).toList();
		assertThat(left).as("avatars left of those committed writes stored (%s)", this.stored)
			.containsExactlyInAnyOrderElementsOf(referred);
	}

	private static void finish(Future<?> write) throws InterruptedException {
		try {
			write.get(60, TimeUnit.SECONDS);
		}
		catch (ExecutionException refused) {
			// The write did not commit, so it stored and cleaned up nothing.
		}
		catch (TimeoutException ex) {
			throw new AssertionError("a write did not finish", ex);
		}
	}

	private static Member withAvatar(Member member, String avatar) {
		Member copy = new Member(member.getName(), avatar);
		copy.setId(member.getId());
		return copy;
	}

}
