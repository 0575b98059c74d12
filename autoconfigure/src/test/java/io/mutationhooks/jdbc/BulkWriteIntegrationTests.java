package io.mutationhooks.jdbc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Transient;
import org.springframework.data.domain.Persistable;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.testapp.Account;
import io.mutationhooks.testapp.AccountRepository;
import io.mutationhooks.testapp.Ledger;
import io.mutationhooks.testapp.Post;
import io.mutationhooks.testapp.PostRepository;
import io.mutationhooks.testapp.RecordingHook;
import io.mutationhooks.testapp.RecordingHook.Seen;
import io.mutationhooks.testapp.SwitchableHook;
import io.mutationhooks.testapp.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code saveAll}, {@code insertAll} and {@code updateAll} of hooked types keep Spring Data JDBC's batching: every
 * hook sees one mutation per entity, and the database gets the statements it gets without the starter.
 */
@SpringBootTest(classes = { TestApplication.class, StatementLog.Recording.class })
class BulkWriteIntegrationTests {

	@Autowired
	AccountRepository accounts;

	@Autowired
	PostRepository posts;

	@Autowired
	JdbcAggregateTemplate template;

	@Autowired
	RecordingHook recording;

	@Autowired
	SwitchableHook switchable;

	@Autowired
	StatementLog statements;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	@AfterEach
	void clean() {
		TestDatabase.clean(this.jdbc);
		this.recording.clear();
		this.switchable.reset();
	}

	@Test
	void aRollbackGivesAnInstanceSavedTwiceInOneCallTheIdAndVersionItHadBeforeTheCall() {
		Ledger entry = new Ledger("opened");
		this.switchable.set(next -> m -> {
			if (m.op() == Op.UPDATE_ONE) {
				throw new IllegalStateException("refused");
			}
			return next.mutate(m);
		});

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> this.template.saveAll(List.of(entry, entry)));

		assertThat(entry.getId()).isNull();
		assertThat(entry.getVersion()).isNull();
		this.switchable.reset();
		this.template.save(entry);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM ledger", Integer.class)).as("a retry inserts")
			.isOne();
	}

	@Test
	void aCreateWithAnAssignedIdAndAnUpdateOfTheSameRowAreWrittenOneAfterTheOther() {
		List<String> oldPlans = new CopyOnWriteArrayList<>();
		this.switchable.set(next -> m -> {
			if (m.op() == Op.UPDATE_ONE) {
				oldPlans.add(((Account) m.oldEntity()).plan());
			}
			return next.mutate(m);
		});

		// New by its version, though its id is given.
		this.accounts
			.saveAll(List.of(new Account(900_001L, null, "ann", "free"), new Account(900_001L, 0, "ann", "pro")));

		assertThat(oldPlans).as("the update replaces the row the create wrote").containsExactly("free");
		assertThat(this.accounts.findById(900_001L)).get().extracting(Account::plan).isEqualTo("pro");
	}

	@Test
	void aSaveAllOfNewRowsSendsTheStatementsOfSpringDataWithoutHooks() {
		List<String> hooked = this.statements.of(() -> this.accounts.saveAll(newAccounts("hooked", 50)));
		List<String> plain = this.statements.of(() -> unhooked().saveAll(newAccounts("plain", 50)));

		assertThat(hooked).isEqualTo(plain).anyMatch(statement -> statement.startsWith("batch of 50: INSERT"));
		assertThat(this.recording.seen()).hasSize(50).allMatch(seen -> seen.op() == Op.CREATE);
	}

	@Test
	void aSaveAllOfExistingRowsSendsTheStatementsOfSpringDataWithoutHooks() {
		List<Account> first = changedPlans(unhooked().saveAll(newAccounts("hooked", 50)));
		List<Account> second = changedPlans(unhooked().saveAll(newAccounts("plain", 50)));
		this.recording.clear();

		List<String> hooked = this.statements.of(() -> this.accounts.saveAll(first));
		List<String> plain = this.statements.of(() -> unhooked().saveAll(second));

		// Spring Data JDBC 4.0 sends the updates of a saveAll one by one (the inserts in one batch).
		assertThat(hooked).isEqualTo(plain).filteredOn(statement -> statement.startsWith("UPDATE")).hasSize(50);
		assertThat(this.recording.seen()).hasSize(50).allMatch(seen -> seen.op() == Op.UPDATE_ONE);
	}

	@Test
	void aSaveAllOfNewAndExistingRowsSendsTheStatementsOfSpringDataWithoutHooks() {
		List<Account> first = mixed(changedPlans(unhooked().saveAll(newAccounts("hooked old", 20))), "hooked new");
		List<Account> second = mixed(changedPlans(unhooked().saveAll(newAccounts("plain old", 20))), "plain new");

		List<String> hooked = this.statements.of(() -> this.accounts.saveAll(first));
		List<String> plain = this.statements.of(() -> unhooked().saveAll(second));

		assertThat(hooked).isEqualTo(plain);
		assertThat(this.accounts.count()).isEqualTo(80);
	}

	@Test
	void insertAllAndUpdateAllOfAggregatesWithChildrenSendTheStatementsOfSpringDataWithoutHooks() {
		Function<String, List<Post>> posts = title -> IntStream.range(0, 30)
			.mapToObj(i -> new Post(title + i, "first", "second"))
			.toList();

		List<Post> hookedPosts = new ArrayList<>();
		List<Post> plainPosts = new ArrayList<>();
		List<String> hookedInserts = this.statements
			.of(() -> hookedPosts.addAll(asList(this.template.insertAll(posts.apply("hooked")))));
		List<String> plainInserts = this.statements
			.of(() -> plainPosts.addAll(asList(unhooked().insertAll(posts.apply("plain")))));
		hookedPosts.forEach(post -> post.setTitle(post.getTitle() + " changed"));
		plainPosts.forEach(post -> post.setTitle(post.getTitle() + " changed"));
		List<String> hookedUpdates = this.statements.of(() -> this.template.updateAll(hookedPosts));
		List<String> plainUpdates = this.statements.of(() -> unhooked().updateAll(plainPosts));

		assertThat(hookedInserts).isEqualTo(plainInserts);
		assertThat(hookedUpdates).isEqualTo(plainUpdates);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM comment", Integer.class)).isEqualTo(120);
	}

	@Test
	void aCallLargerThanOnePartSendsTheSameStatementsInBatchesOfAPart() {
		int size = SaveAll.ENTITIES_PER_WRITE * 2 + 50;

		List<String> hooked = this.statements.of(() -> this.accounts.saveAll(newAccounts("hooked", size)));
		List<String> plain = this.statements.of(() -> unhooked().saveAll(newAccounts("plain", size)));

		String insert = plain.stream().filter(statement -> statement.startsWith("batch of " + size)).findFirst()
			.orElseThrow().substring(("batch of " + size).length());
		assertThat(hooked).containsExactly("batch of " + SaveAll.ENTITIES_PER_WRITE + insert,
				"batch of " + SaveAll.ENTITIES_PER_WRITE + insert, "batch of 50" + insert);
		assertThat(this.accounts.count()).isEqualTo(2L * size);
	}

	@Test
	void everyHookRunsBeforeTheBatchedWriteAndCodeAfterNextSeesTheGeneratedId() {
		List<String> events = Collections.synchronizedList(new ArrayList<>());
		this.switchable.set(next -> mutation -> {
			Account account = (Account) mutation.entity();
			events.add("before " + account.owner() + " " + mutation.id());
			Object written = next.mutate(mutation);
			events.add("after " + account.owner() + " " + (mutation.id() != null));
			return written;
		});

		List<Account> saved = asList(this.accounts.saveAll(newAccounts("a", 3)));

		assertThat(events).containsExactly("before a0 null", "before a1 null", "before a2 null", "after a2 true",
				"after a1 true", "after a0 true");
		assertThat(saved).extracting(Account::owner).containsExactly("a0", "a1", "a2");
		assertThat(saved).allMatch(account -> account.id() != null && account.version() == 0);
	}

	@Test
	void oldStateOfABatchIsReadOnceForAllItsUpdates() {
		List<Account> stored = changedPlans(unhooked().saveAll(newAccounts("a", 250)));
		List<Object> oldPlans = Collections.synchronizedList(new ArrayList<>());
		this.switchable.set(next -> mutation -> {
			oldPlans.add(((Account) mutation.oldEntity()).plan());
			return next.mutate(mutation);
		});

		List<String> withOldState = this.statements.of(() -> this.accounts.saveAll(stored));

		assertThat(oldPlans).hasSize(250).containsOnly("basic");
		List<String> reads = withOldState.stream().filter(statement -> statement.startsWith("SELECT")).toList();
		// The locking read, on MySQL and MariaDB the read of the snapshot it is compared with, and the read of the rows:
		// for the whole batch, not once per update; each names up to 1000 ids, on H2 100, whose IN lists cost it the
		// square of their length.
		String database = System.getProperty("mutation-hooks.test.database", "h2");
		int readsPerStatementGroup = database.equals("mariadb") ? 3 : 2;
		int statementGroups = database.equals("h2") ? 3 : 1;
		assertThat(reads).hasSize(readsPerStatementGroup * statementGroups);
		assertThat(this.accounts.findAll()).extracting(Account::plan).containsOnly("pro");
	}

	@Test
	void aHookThatRefusesOneEntityWritesNothingOfTheCall() {
		this.switchable.set(next -> mutation -> {
			if (((Account) mutation.entity()).owner().equals("a7")) {
				throw new IllegalArgumentException("a7 is banned");
			}
			return next.mutate(mutation);
		});

		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> this.accounts.saveAll(newAccounts("a", 10)))
			.withMessageContaining("a7 is banned");
		assertThat(this.accounts.count()).isZero();
	}

	@Test
	void aFailedBatchedWriteRollsBackTheCallAndGivesTheCallersInstancesBackTheirIds() {
		List<Post> posts = List.of(new Post("fine"), new Post(TestApplication.FAILS_AFTER_SAVE), new Post("fine too"));

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.posts.saveAll(posts))
			.withMessage("after-save callback failed");
		assertThat(this.posts.count()).isZero();
		assertThat(posts).allMatch(post -> post.getId() == null);
	}

	@Test
	void anIdACreateHookGaveIsTakenBackWhenALaterEntityOfTheCallIsRefused() {
		Post good = new Post("good");
		Post bad = new Post("bad");
		this.switchable.set(next -> mutation -> {
			Post post = (Post) mutation.entity();
			mutation.setField("id", post.getTitle().equals("good") ? 5001L : 5002L);
			if (post.getTitle().equals("bad")) {
				throw new IllegalArgumentException("bad post");
			}
			return next.mutate(mutation);
		});

		assertThatExceptionOfType(MutationException.class).isThrownBy(() -> this.posts.saveAll(List.of(good, bad)));

		assertThat(good.getId()).isNull();
		assertThat(bad.getId()).isNull();
	}

	@Test
	void anEntityWhoseHookReturnsWithoutCallingNextIsNotWrittenAndTheOthersAre() {
		this.switchable.set(next -> mutation -> ((Account) mutation.entity()).owner().equals("a1") ? mutation.entity()
				: next.mutate(mutation));

		List<Account> saved = asList(this.accounts.saveAll(newAccounts("a", 3)));

		assertThat(saved).extracting(Account::owner).containsExactly("a0", "a1", "a2");
		assertThat(saved.get(1).id()).isNull();
		assertThat(this.accounts.findAll()).extracting(Account::owner).containsExactlyInAnyOrder("a0", "a2");
	}

	@Test
	void aNewEntityTwiceInOneCallIsInsertedThenUpdatedAsWhenSavedOneAfterTheOther() {
		Post post = new Post("twice");

		this.posts.saveAll(List.of(post, post));

		assertThat(this.posts.count()).isOne();
		assertThat(this.recording.seen()).extracting(Seen::op).containsExactly(Op.CREATE, Op.UPDATE_ONE);
	}

	@Test
	void twoUpdatesOfOneRowInOneCallEachSeeTheStateTheOtherLeft() {
		Post stored = this.posts.save(new Post("v0"));
		Post first = new Post("v1");
		first.setId(stored.getId());
		Post second = new Post("v2");
		second.setId(stored.getId());
		List<String> transitions = Collections.synchronizedList(new ArrayList<>());
		this.switchable.set(next -> mutation -> {
			transitions.add(((Post) mutation.oldEntity()).getTitle() + " -> " + ((Post) mutation.entity()).getTitle());
			return next.mutate(mutation);
		});

		this.posts.saveAll(List.of(first, second));

		assertThat(transitions).containsExactly("v0 -> v1", "v1 -> v2");
		assertThat(this.posts.findById(stored.getId()).orElseThrow().getTitle()).isEqualTo("v2");
	}

	@Test
	void anEntityACreateHookGaveAnIdIsInsertedAmongUpdates() {
		Post existing = this.posts.save(new Post("existing"));
		existing.setTitle("existing, changed");
		long givenId = existing.getId() + 1000;
		this.switchable.set(next -> mutation -> {
			if (mutation.op() == Op.CREATE) {
				mutation.setField("id", givenId);
			}
			return next.mutate(mutation);
		});

		this.posts.saveAll(List.of(existing, new Post("new")));

		assertThat(this.posts.findById(givenId)).hasValueSatisfying(post -> assertThat(post.getTitle()).isEqualTo("new"));
		assertThat(this.posts.findById(existing.getId()))
			.hasValueSatisfying(post -> assertThat(post.getTitle()).isEqualTo("existing, changed"));
	}

	@Test
	void newEntitiesACreateHookGaveIdsAreInsertedInOneBatch() {
		long firstId = this.posts.save(new Post("first")).getId() + 1000;
		this.switchable.set(next -> mutation -> {
			String title = ((Post) mutation.entity()).getTitle();
			mutation.setField("id", firstId + Long.parseLong(title.substring("new ".length())));
			return next.mutate(mutation);
		});
		List<Post> created = List.of(new Post("new 0"), new Post("new 1"), new Post("new 2"));

		List<String> sent = this.statements.of(() -> this.posts.saveAll(created));

		assertThat(sent).noneMatch(statement -> statement.contains("UPDATE"))
			.anyMatch(statement -> statement.startsWith("batch of 3: INSERT"));
		assertThat(this.posts.findAllById(List.of(firstId, firstId + 1, firstId + 2))).extracting(Post::getTitle)
			.containsExactlyInAnyOrder("new 0", "new 1", "new 2");
	}

	@Test
	void aHookedSaveAllOfNewEntitiesAsksEachWhetherItIsNewAsOftenAsSpringDataAlone() {
		List<CountingPost> plain = List.of(new CountingPost("plain 0"), new CountingPost("plain 1"));
		List<CountingPost> hooked = List.of(new CountingPost("hooked 0"), new CountingPost("hooked 1"));

		unhooked().saveAll(plain);
		this.template.saveAll(hooked);

		// The hooked call asks when it decides what each entity is, before its hooks run, and then writes the
		// creates as creates: not again before the write, nor through Spring Data's saveAll.
		int springData = plain.get(0).askedIfNew;
		assertThat(springData).isPositive();
		assertThat(plain).extracting(post -> post.askedIfNew).containsOnly(springData);
		assertThat(hooked).extracting(post -> post.askedIfNew).containsOnly(springData);
		assertThat(this.recording.seen()).hasSize(2).allMatch(seen -> seen.op() == Op.CREATE);
	}

	@Test
	void aHookThatWritesARowOfTheBatchMakesItsLaterMutationsReadTheirOldStateAgain() {
		List<Account> stored = changedPlans(unhooked().saveAll(newAccounts("a", 3)));
		Long lastId = stored.get(2).id();
		List<String> oldPlans = Collections.synchronizedList(new ArrayList<>());
		AtomicBoolean nested = new AtomicBoolean();
		this.switchable.set(next -> mutation -> {
			if (nested.get()) {
				return next.mutate(mutation);
			}
			Account account = (Account) mutation.entity();
			oldPlans.add(account.owner() + " " + ((Account) mutation.oldEntity()).plan());
			if (account.owner().equals("a0")) {
				// A hooked write, nested in this hook, of the row the batch's last entity updates.
				nested.set(true);
				try {
					this.accounts.save(this.accounts.findById(lastId).orElseThrow().withPlan("changed by a hook"));
				}
				finally {
					nested.set(false);
				}
			}
			return next.mutate(mutation);
		});

		// The nested save moved the row's version on, so the batch's update of it fails optimistic locking.
		assertThatExceptionOfType(OptimisticLockingFailureException.class)
			.isThrownBy(() -> this.accounts.saveAll(stored));
		assertThat(oldPlans).containsExactly("a0 basic", "a1 basic", "a2 changed by a hook");
	}

	/** A post that counts how often it is asked whether it is new. */
	@Table("post")
	static final class CountingPost implements Persistable<Long> {

		@Id
		Long id;

		String title;

		@Transient
		int askedIfNew;

		CountingPost(String title) {
			this.title = title;
		}

		@Override
		public Long getId() {
			return this.id;
		}

		@Override
		public boolean isNew() {
			this.askedIfNew++;
			return this.id == null;
		}

	}

	private JdbcAggregateOperations unhooked() {
		return ((HookedJdbcAggregateTemplate) this.template).unhooked();
	}

	private static List<Account> newAccounts(String owner, int count) {
		return IntStream.range(0, count).mapToObj(i -> Account.of(owner + i, "basic")).toList();
	}

	private static List<Account> changedPlans(Iterable<Account> accounts) {
		List<Account> changed = new ArrayList<>();
		accounts.forEach(account -> changed.add(account.withPlan("pro")));
		return changed;
	}

	/** {@code existing} with a new account after each. */
	private static List<Account> mixed(List<Account> existing, String owner) {
		List<Account> mixed = new ArrayList<>();
		for (int i = 0; i < existing.size(); i++) {
			mixed.add(existing.get(i));
			mixed.add(Account.of(owner + i, "basic"));
		}
		return mixed;
	}

	private static <T> List<T> asList(Iterable<T> entities) {
		List<T> list = new ArrayList<>();
		entities.forEach(list::add);
		return list;
	}

}
