package io.mutationhooks.s3;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.s3.DeletionClaims.Claim;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;
import io.mutationhooks.testapp.SwitchableHook;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A write that checks that an avatar exists and the cleanup of another write that deleted the last member with that
 * avatar overlap, in either order: no committed member ends up referring to a missing avatar. Either the cleanup
 * waits for the write and then keeps the avatar, or the write is refused at commit.
 * <p>
 * The write ("second") is held by a hook right before its commit, after its check and its insert or update; the
 * cleanup is held, where a test says so, right after it claimed the avatar and before it deletes it.
 */
@Import(ObservedKeyLeases.Configuration.class)
class S3SharedKeyRaceIntegrationTests extends S3ProxyIntegrationTestSupport {

	private static final String LEASES = "mutation_hooks_s3_lease";

	@Autowired
	MemberRepository members;

	@Autowired
	UserRepository users;

	@Autowired
	SwitchableHook hook;

	@Autowired
	ObservedKeyLeases leases;

	@Autowired
	PlatformTransactionManager transactionManager;

	final ExecutorService threads = Executors.newSingleThreadExecutor();

	/** An avatar no other test uses, so that no lease or tombstone of another test counts. */
	final String avatar = "shared-" + UUID.randomUUID() + ".png";

	@BeforeEach
	void forgetWhatTheLeasesSaw() {
		this.leases.reset();
	}

	@AfterEach
	void resetHookAndCleanupAndStopThreads() throws InterruptedException {
		this.hook.reset();
		this.leases.reset();
		this.threads.shutdownNow();
		this.threads.awaitTermination(30, TimeUnit.SECONDS);
	}

	// The write checks first: the cleanup waits for it, and keeps the avatar once it is referred to.

	@Test
	void aCreateThatCheckedTheAvatarBeforeItsLastMemberWasDeletedKeepsIt() throws Exception {
		Member first = memberWithTheAvatar("first");
		Held second = heldBeforeCommit("second", () -> this.members.save(new Member("second", this.avatar)));

		deleteAndLetTheWriteCommit(first, second);

		assertEveryAvatarMembersReferToExists();
		assertThat(this.members.findAll()).extracting(Member::getName).containsExactly("second");
		assertThat(this.leases.awaitClaimOf(this.avatar, claim -> true).postponed()).containsExactly(this.avatar);
	}

	@Test
	void anAvatarChangeThatCheckedTheAvatarBeforeItsLastMemberWasDeletedKeepsIt() throws Exception {
		Member first = memberWithTheAvatar("first");
		Member second = memberWithAnotherAvatar("second");
		Held change = heldBeforeCommit("second", () -> this.members.save(withTheAvatar(second)));

		deleteAndLetTheWriteCommit(first, change);

		assertEveryAvatarMembersReferToExists();
		assertThat(this.members.findAll()).extracting(Member::getAvatarUrl).containsExactly(this.avatar);
		assertThat(this.leases.awaitClaimOf(this.avatar, claim -> true).postponed()).containsExactly(this.avatar);
	}

	// The cleanup claims first: the write that checks meanwhile is refused, even if the delete is done before it commits.

	@Test
	void aCreateThatCheckedTheAvatarAfterTheCleanupClaimedItIsRefused() throws Exception {
		Member first = memberWithTheAvatar("first");
		deleteAndHoldTheCleanupOnceItClaims(first);

		Held second = heldBeforeCommit("second", () -> this.members.save(new Member("second", this.avatar)));
		letTheCleanupDeleteThenTheWriteCommit(second);

		assertThat(this.members.count()).isZero();
		assertEveryAvatarMembersReferToExists();
	}

	@Test
	void anAvatarChangeThatCheckedTheAvatarAfterTheCleanupClaimedItIsRefused() throws Exception {
		Member first = memberWithTheAvatar("first");
		Member second = memberWithAnotherAvatar("second");
		deleteAndHoldTheCleanupOnceItClaims(first);

		Held change = heldBeforeCommit("second", () -> this.members.save(withTheAvatar(second)));
		letTheCleanupDeleteThenTheWriteCommit(change);

		assertThat(this.members.findAll()).extracting(Member::getAvatarUrl).containsExactly("other-" + this.avatar);
		assertEveryAvatarMembersReferToExists();
	}

	@Test
	void aCreateThatCommitsWhileTheCleanupHoldsItsClaimIsRefused() {
		Member first = memberWithTheAvatar("first");
		deleteAndHoldTheCleanupOnceItClaims(first);

		assertThatExceptionOfType(S3ObjectBeingDeletedException.class)
			.isThrownBy(() -> this.members.save(new Member("second", this.avatar)))
			.withMessageContaining(this.avatar)
			.withMessageContaining("being deleted")
			.withMessageContaining("retry");

		this.leases.letTheCleanupGoOn();
		this.leases.awaitDeleteOf(this.avatar);
		assertThat(exists(AVATARS, this.avatar)).isFalse();
		assertThat(this.members.count()).isZero();
	}

	// A write made while its transaction commits (in another synchronization's beforeCommit) is asked about too.

	@Test
	void aCreateMadeWhileItsTransactionCommitsIsRefusedWhileTheCleanupHoldsItsClaim() {
		Member first = memberWithTheAvatar("first");
		deleteAndHoldTheCleanupOnceItClaims(first);

		// The transaction's first lease: its synchronization is registered too late for Spring to call its
		// beforeCommit.
		assertThatExceptionOfType(S3ObjectBeingDeletedException.class)
			.isThrownBy(() -> new TransactionTemplate(this.transactionManager)
				.executeWithoutResult(status -> saveWhileCommitting(new Member("second", this.avatar))))
			.withMessageContaining(this.avatar)
			.withMessageContaining("being deleted");

		this.leases.letTheCleanupGoOn();
		this.leases.awaitDeleteOf(this.avatar);
		assertThat(this.members.count()).isZero();
		assertEveryAvatarMembersReferToExists();
	}

	@Test
	void aCreateMadeAfterItsTransactionAskedAboutItsLeasesIsRefusedWhileTheCleanupHoldsItsClaim() {
		Member first = memberWithTheAvatar("first");
		put(AVATARS, "other-" + this.avatar);
		deleteAndHoldTheCleanupOnceItClaims(first);

		// The transaction leased another avatar first, so its leases are asked about before the late write leases.
		assertThatExceptionOfType(S3ObjectBeingDeletedException.class)
			.isThrownBy(() -> new TransactionTemplate(this.transactionManager).executeWithoutResult(status -> {
				this.members.save(new Member("third", "other-" + this.avatar));
				saveWhileCommitting(new Member("second", this.avatar));
			}))
			.withMessageContaining(this.avatar)
			.withMessageContaining("being deleted");

		this.leases.letTheCleanupGoOn();
		this.leases.awaitDeleteOf(this.avatar);
		assertThat(this.members.count()).isZero();
		assertEveryAvatarMembersReferToExists();
	}

	// Leases end: with the write's transaction, or when they run out.

	@Test
	void anExpiredLeaseNoLongerHoldsBackTheCleanupAndItsWriteIsRefused() throws Exception {
		Member first = memberWithTheAvatar("first");
		Held second = heldBeforeCommit("second", () -> this.members.save(new Member("second", this.avatar)));
		// As the lease of a process that died before it could release it.
		this.jdbc.update("UPDATE " + LEASES + " SET expires_at = created_at");

		this.members.deleteById(first.getId());
		this.leases.awaitDeleteOf(this.avatar);
		second.commit();

		assertThat(refusal(second)).isInstanceOf(S3ReferenceException.class).hasMessageContaining(this.avatar);
		assertThat(this.leases.awaitClaimOf(this.avatar, claim -> true).deletable()).containsExactly(this.avatar);
		assertThat(this.members.count()).isZero();
		assertEveryAvatarMembersReferToExists();
	}

	@Test
	void aWriteWhoseLeaseRanOutBeforeItsCommitIsRefused() throws Exception {
		put(AVATARS, this.avatar);
		Held second = heldBeforeCommit("second", () -> this.members.save(new Member("second", this.avatar)));
		this.jdbc.update("UPDATE " + LEASES + " SET expires_at = created_at");

		second.commit();

		assertThat(refusal(second)).isInstanceOf(S3CheckFailedException.class)
			.hasMessageContaining(this.avatar)
			.hasMessageContaining("lease-timeout");
		assertThat(this.members.count()).isZero();
	}

	@Test
	void theLeaseIsHeldWhileTheWriteRunsAndACommitReleasesIt() {
		put(AVATARS, this.avatar);
		List<Integer> leasesDuringTheWrite = new CopyOnWriteArrayList<>();
		this.hook.set(next -> m -> {
			leasesDuringTheWrite.add(leaseRows());
			return next.mutate(m);
		});

		this.members.save(new Member("second", this.avatar));

		assertThat(leasesDuringTheWrite).containsExactly(1);
		assertThat(leaseRows()).isZero();
	}

	@Test
	void aRollbackReleasesTheLease() {
		put(AVATARS, this.avatar);
		List<Integer> leasesDuringTheWrite = new CopyOnWriteArrayList<>();
		this.hook.set(next -> m -> {
			next.mutate(m);
			leasesDuringTheWrite.add(leaseRows());
			throw new IllegalStateException("rolled back by the test");
		});

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> this.members.save(new Member("second", this.avatar)))
			.withMessageContaining("rolled back by the test");

		assertThat(leasesDuringTheWrite).containsExactly(1);
		assertThat(leaseRows()).isZero();
		assertThat(this.leases.leaseCalls()).isOne();
	}

	@Test
	void aLeaseTakenBeforeTheTransactionEndsWithItEvenIfAHookClearsTheReference() {
		put(AVATARS, this.avatar);
		this.hook.set(next -> m -> {
			m.setField("avatarUrl", null);
			return next.mutate(m);
		});

		this.members.save(new Member("second", this.avatar));

		assertThat(this.leases.leaseCalls()).isOne();
		assertThat(leaseRows()).isZero();
	}

	@Test
	void writesThatCheckNoReferenceLeaveTheLeaseTablesAlone() {
		Member member = memberWithAnotherAvatar("member");
		this.leases.reset();

		this.users.save(new User("a user", "user@example.com"));
		this.members.save(new Member("no avatar", null));
		member.setName("renamed");
		this.members.save(member);

		assertThat(this.leases.leaseCalls()).isZero();
	}

	/** Saves {@code member} from a synchronization's beforeCommit, registered now: while the transaction commits. */
	private void saveWhileCommitting(Member member) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void beforeCommit(boolean readOnly) {
				S3SharedKeyRaceIntegrationTests.this.members.save(member);
			}
		});
	}

	/** Deletes {@code first}, the last member with the avatar, and returns once its cleanup is held on its claim. */
	private void deleteAndHoldTheCleanupOnceItClaims(Member first) {
		this.leases.holdTheCleanupOnceItClaims(this.avatar);
		this.members.deleteById(first.getId());
		this.leases.awaitTheCleanupHeld();
	}

	/** Deletes {@code first} while {@code write} is held, waits until the cleanup has seen the avatar, then commits. */
	private void deleteAndLetTheWriteCommit(Member first, Held write) throws Exception {
		this.members.deleteById(first.getId());
		this.leases.awaitClaimOf(this.avatar, claim -> true);
		write.commit();
		write.future.get(60, TimeUnit.SECONDS);
		Claim settled = this.leases.awaitClaimOf(this.avatar, claim -> !claim.postponed().contains(this.avatar));
		if (settled.deletable().contains(this.avatar)) {
			this.leases.awaitDeleteOf(this.avatar);
		}
	}

	/** Lets the held cleanup delete the avatar, then lets {@code write} commit: it must be refused. */
	private void letTheCleanupDeleteThenTheWriteCommit(Held write) throws Exception {
		this.leases.letTheCleanupGoOn();
		this.leases.awaitDeleteOf(this.avatar);
		assertThat(exists(AVATARS, this.avatar)).isFalse();
		write.commit();
		assertThat(refusal(write)).isInstanceOf(S3ObjectBeingDeletedException.class)
			.hasMessageContaining(this.avatar)
			.hasMessageContaining("being deleted");
	}

	private Member memberWithTheAvatar(String name) {
		put(AVATARS, this.avatar);
		return this.members.save(new Member(name, this.avatar));
	}

	private Member memberWithAnotherAvatar(String name) {
		put(AVATARS, "other-" + this.avatar);
		return this.members.save(new Member(name, "other-" + this.avatar));
	}

	private Member withTheAvatar(Member member) {
		Member copy = new Member(member.getName(), this.avatar);
		copy.setId(member.getId());
		return copy;
	}

	/**
	 * Runs {@code write} on another thread and returns once it is held right before its commit, after it checked the
	 * avatar and wrote the member named {@code name}.
	 */
	private Held heldBeforeCommit(String name, Callable<?> write) throws InterruptedException {
		CountDownLatch reached = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		this.hook.set(next -> m -> {
			Object written = next.mutate(m);
			if (m.type() == Member.class && m.op().is(Op.CREATE, Op.UPDATE_ONE)
					&& name.equals(((Member) m.entity()).getName()) && reached.getCount() > 0) {
				reached.countDown();
				assertThat(commit.await(60, TimeUnit.SECONDS)).as("the test lets the write commit").isTrue();
			}
			return written;
		});
		Future<?> future = this.threads.submit(write);
		assertThat(reached.await(60, TimeUnit.SECONDS)).as("the write is held before its commit").isTrue();
		return new Held(future, commit);
	}

	/** Why the held write failed. */
	private static Throwable refusal(Held write) throws Exception {
		try {
			write.future.get(60, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		throw new AssertionError("the write committed, though the cleanup may have deleted its avatar");
	}

	private int leaseRows() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM " + LEASES + " WHERE object_key = ?", Integer.class,
				this.avatar);
	}

	/** Once the cleanup has caught up, every avatar a member refers to is in the bucket. */
	private void assertEveryAvatarMembersReferToExists() {
		List<String> referred = this.jdbc.queryForList("SELECT avatar_url FROM member WHERE avatar_url IS NOT NULL",
				String.class);
		assertThat(referred).as("avatars members refer to that are missing")
			.filteredOn(key -> !exists(AVATARS, key))
			.isEmpty();
	}

	/** A write held before its commit. */
	private record Held(Future<?> future, CountDownLatch commitLatch) {

		void commit() {
			this.commitLatch.countDown();
		}

	}

}
