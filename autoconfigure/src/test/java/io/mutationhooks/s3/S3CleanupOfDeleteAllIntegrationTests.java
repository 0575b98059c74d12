package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;

import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;
import io.mutationhooks.testapp.SwitchableHook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code deleteAll()} of a table larger than a page, against the in-process S3Proxy: the hooks run page by page,
 * each page one bulk {@code DELETE} of a thousand rows, every row seen once, and the avatars of exactly those rows
 * are cleaned up after commit, one DeleteObjects request per page; a failure on the last page deletes nothing.
 */
class S3CleanupOfDeleteAllIntegrationTests extends S3ProxyIntegrationTestSupport {

	private static final int MEMBERS = 2500;

	@Autowired
	MemberRepository members;

	@Autowired
	JdbcAggregateTemplate template;

	@Autowired
	SwitchableHook hook;

	/** The ids each DELETE mutation's hooks saw, a list per mutation. */
	final List<List<Object>> pages = new ArrayList<>();

	@BeforeEach
	@AfterEach
	void resetHook() {
		this.hook.reset();
	}

	@Test
	void deleteAllRunsTheHooksPageByPageSeeingEachRowOnceAndCleansUpTheirObjects() throws Exception {
		List<String> keys = keys();
		putAll(keys);
		List<Long> ids = insertMembers(keys);
		recordPages();
		this.requests.reset();

		this.members.deleteAll();

		assertThat(this.pages).extracting(List::size).containsExactly(1000, 1000, 500);
		List<Object> seen = this.pages.stream().flatMap(List::stream).toList();
		assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
		assertThat(this.members.count()).isZero();
		flushCleanup();
		assertThat(keys(AVATARS)).isEmpty();
		assertThat(keys).allSatisfy(key -> assertThat(this.requests.deleteAttempts(key)).as(key).isOne());
		assertThat(this.requests.count("DeleteObjects")).as("one request per page").isEqualTo(3);
	}

	@Test
	void deleteAllOfTheTemplateRunsTheHooksPageByPageToo() {
		insertMembers(keys());
		recordPages();

		this.template.deleteAll(Member.class);

		assertThat(this.pages).extracting(List::size).containsExactly(1000, 1000, 500);
		assertThat(this.members.count()).isZero();
	}

	@Test
	void aHookFailingOnTheLastPageRollsBackTheWholeDeleteAllAndCleansUpNothing() {
		List<String> keys = keys();
		insertMembers(keys);
		this.hook.set(next -> m -> {
			if (m.op() == Op.DELETE) {
				this.pages.add(List.copyOf(m.ids()));
				if (this.pages.size() == 3) {
					throw new IllegalStateException("the last page is refused");
				}
			}
			return next.mutate(m);
		});
		this.requests.reset();

		assertThatExceptionOfType(MutationException.class).isThrownBy(() -> this.members.deleteAll())
			.withMessageContaining("the last page is refused");

		assertThat(this.pages).extracting(List::size).containsExactly(1000, 1000, 500);
		assertThat(this.members.count()).isEqualTo(MEMBERS);
		assertThat(EffectRows.stored(this.jdbc)).as("the effects of the first two pages rolled back").isZero();
		assertThat(this.requests.count("DeleteObjects")).isZero();
	}

	@Test
	void deleteAllOfAnEmptyTableRunsTheHooksOnceWithNoRows() {
		recordPages();

		this.members.deleteAll();

		assertThat(this.pages).containsExactly(List.of());
	}

	private void recordPages() {
		this.hook.set(next -> m -> {
			if (m.op() == Op.DELETE) {
				this.pages.add(List.copyOf(m.ids()));
			}
			return next.mutate(m);
		});
	}

	/** Uploads the objects eight at a time: one by one, 2500 take most of the test's time. */
	private void putAll(List<String> keys) throws Exception {
		ExecutorService uploads = Executors.newFixedThreadPool(8);
		try {
			for (Future<?> upload : uploads.invokeAll(keys.stream().<Callable<Object>>map(key -> () -> {
				put(AVATARS, key);
				return null;
			}).toList())) {
				upload.get();
			}
		}
		finally {
			uploads.shutdown();
		}
	}

	private static List<String> keys() {
		return IntStream.range(0, MEMBERS).mapToObj(i -> "member-" + i + ".png").toList();
	}

	/** Inserts a member per key with plain JDBC, past the checks a save goes through. @return their ids */
	private List<Long> insertMembers(List<String> keys) {
		this.jdbc.batchUpdate("INSERT INTO member (name, avatar_url) VALUES (?, ?)", keys, 500,
				(statement, key) -> {
					statement.setString(1, key);
					statement.setString(2, key);
				});
		return this.jdbc.queryForList("SELECT id FROM member", Long.class);
	}

}
