package io.mutationhooks.s3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.testapp.Document;
import io.mutationhooks.testapp.DocumentRepository;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The S3 sync against a real S3 server: references are verified before the write and cleaned up after commit, and
 * never outside their bucket and prefix. Subclasses run these same tests against S3Proxy and LocalStack.
 */
abstract class S3SyncContractTests extends S3IntegrationTestSupport {

	static final String DOCS = "team-docs";

	@Autowired
	MemberRepository members;

	@Autowired
	DocumentRepository documents;

	@Autowired
	JdbcAggregateTemplate template;

	@Autowired
	TransactionTemplate transactions;

	@BeforeEach
	void cleanDatabaseAndBuckets() {
		for (String table : new String[] { "member", "document", "album_credit", "album_sticker", "album_page",
				"album_photo", "album" }) {
			this.jdbc.update("DELETE FROM " + table);
		}
		emptyBuckets(AVATARS, DOCS);
		this.requests.reset();
	}

	@Test
	void creatingFailsWhileTheAvatarIsMissingAndPassesOnceItIsThere() {
		assertThatExceptionOfType(S3ObjectMissingException.class)
			.isThrownBy(() -> this.members.save(new Member("a8m", "a8m.png")))
			.withMessage("CREATE of Member failed in hook 's3SyncHook': avatarUrl refers to s3://avatars/a8m.png, "
					+ "which does not exist")
			.satisfies(ex -> {
				assertThat(ex.getBucket()).isEqualTo(AVATARS);
				assertThat(ex.getKey()).isEqualTo("a8m.png");
				assertThat(ex.getField()).isEqualTo("avatarUrl");
			});
		assertThat(this.members.count()).isZero();

		put(AVATARS, "a8m.png");
		Member saved = this.members.save(new Member("a8m", "a8m.png"));

		assertThat(this.members.findById(saved.getId())).isPresent();
	}

	@Test
	void aReferenceMayBeAnS3UriOfItsOwnBucket() {
		put(AVATARS, "a8m.png");

		this.members.save(new Member("a8m", "s3://avatars/a8m.png"));

		assertThat(this.members.count()).isOne();
	}

	@Test
	void anUpdateThatChangesTheAvatarChecksTheNewObject() {
		put(AVATARS, "old.png");
		Member member = this.members.save(new Member("a8m", "old.png"));
		member.setAvatarUrl("new.png");

		assertThatExceptionOfType(S3ObjectMissingException.class).isThrownBy(() -> this.members.save(member))
			.satisfies(ex -> assertThat(ex.getOp()).isEqualTo(Op.UPDATE_ONE));
		assertThat(this.members.findById(member.getId()).orElseThrow().getAvatarUrl()).isEqualTo("old.png");
	}

	@Test
	void anUpdateThatKeepsTheAvatarDoesNotCheckIt() {
		put(AVATARS, "a8m.png");
		Member member = this.members.save(new Member("a8m", "a8m.png"));
		this.requests.reset();
		member.setName("ariel");

		this.members.save(member);

		assertThat(this.requests.count("HeadObject")).isZero();
	}

	@Test
	void saveAllChecksTheAvatarsConcurrently() {
		List<Member> batch = new ArrayList<>();
		for (int i = 0; i < 48; i++) {
			put(AVATARS, "avatar-" + i + ".png");
			batch.add(new Member("member " + i, "avatar-" + i + ".png"));
		}
		this.requests.reset();

		this.members.saveAll(batch);

		assertThat(this.members.count()).isEqualTo(48);
		assertThat(this.requests.count("HeadObject")).isEqualTo(48);
		assertThat(this.requests.maxInFlight()).as("HeadObject requests in flight at once").isGreaterThan(1);
	}

	@Test
	void saveAllOfUpdatedMembersChecksOnlyTheAvatarsThatChanged() {
		List<Member> batch = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			put(AVATARS, "avatar-" + i + ".png");
			batch.add(new Member("member " + i, "avatar-" + i + ".png"));
		}
		List<Member> saved = new ArrayList<>();
		this.members.saveAll(batch).forEach(saved::add);
		for (int i = 0; i < saved.size(); i++) {
			saved.get(i).setName("renamed " + i);
			if (i < 3) {
				put(AVATARS, "new-" + i + ".png");
				saved.get(i).setAvatarUrl("new-" + i + ".png");
			}
		}
		this.requests.reset();

		this.members.saveAll(saved);

		assertThat(this.requests.count("HeadObject")).isEqualTo(3);
		assertThat(this.members.findAll()).extracting(Member::getAvatarUrl)
			.contains("new-0.png", "new-1.png", "new-2.png", "avatar-9.png");
	}

	@Test
	void saveAllWithOneMissingAvatarWritesNothing() {
		put(AVATARS, "there.png");

		assertThatExceptionOfType(S3ObjectMissingException.class).isThrownBy(() -> this.members
			.saveAll(List.of(new Member("a", "there.png"), new Member("b", "missing.png"), new Member("c", "there.png"))))
			.satisfies(ex -> assertThat(ex.getKey()).isEqualTo("missing.png"));
		assertThat(this.members.count()).isZero();
	}

	@Test
	void deletingAMemberDeletesTheAvatarAfterCommit() {
		put(AVATARS, "a8m.png");
		Member member = this.members.save(new Member("a8m", "a8m.png"));

		this.members.delete(member);

		awaitGone(AVATARS, "a8m.png");
	}

	@Test
	void deleteByIdDeletesTheAvatarTheCallerNeverSaw() {
		put(AVATARS, "a8m.png");
		Member member = this.members.save(new Member("a8m", "a8m.png"));

		this.members.deleteById(member.getId());

		awaitGone(AVATARS, "a8m.png");
	}

	@Test
	void bulkDeletesDeleteEveryAvatar() {
		put(AVATARS, "1.png");
		put(AVATARS, "2.png");
		put(AVATARS, "3.png");
		Member one = this.members.save(new Member("one", "1.png"));
		Member two = this.members.save(new Member("two", "2.png"));
		this.members.save(new Member("three", "3.png"));

		this.members.deleteAllById(List.of(one.getId()));
		this.members.deleteAll(List.of(two));
		this.template.deleteAll(Member.class);

		awaitGone(AVATARS, "1.png");
		awaitGone(AVATARS, "2.png");
		awaitGone(AVATARS, "3.png");
	}

	@Test
	void deletingManyUsesOneDeleteObjectsRequestPerThousandKeys() {
		List<Member> many = IntStream.range(0, 1001).mapToObj(i -> new Member("m" + i, "many-" + i + ".png")).toList();
		many.forEach(member -> put(AVATARS, member.getAvatarUrl()));
		this.members.saveAll(many);
		this.requests.reset();

		this.members.deleteAll();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(keys(AVATARS)).isEmpty());
		assertThat(this.requests.count("DeleteObjects")).isEqualTo(2);
		assertThat(this.requests.count("DeleteObject")).isZero();
	}

	@Test
	void deletesOfOneTransactionShareOneDeleteObjectsRequest() {
		List<Member> three = new ArrayList<>();
		for (String key : List.of("1.png", "2.png", "3.png")) {
			put(AVATARS, key);
			three.add(this.members.save(new Member("member " + key, key)));
		}
		this.requests.reset();

		this.transactions.executeWithoutResult(status -> three.forEach(this.members::delete));

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(keys(AVATARS)).isEmpty());
		assertThat(this.requests.count("DeleteObjects")).isOne();
	}

	@Test
	void aBucketThatCannotBeReadIsNotAMissingObject() {
		this.s3.deleteBucket(request -> request.bucket(DOCS));

		assertThatExceptionOfType(S3CheckFailedException.class)
			.isThrownBy(() -> this.documents.save(Document.of("plan", "docs/plan.pdf")))
			.withMessageContaining("bucket 'team-docs' cannot be read");
		assertThat(this.documents.count()).isZero();
	}

	@Test
	void rollbackKeepsTheAvatar() {
		put(AVATARS, "a8m.png");
		Member member = this.members.save(new Member("a8m", "a8m.png"));

		this.transactions.executeWithoutResult(status -> {
			this.members.delete(member);
			status.setRollbackOnly();
		});

		flushCleanup();
		assertThat(exists(AVATARS, "a8m.png")).isTrue();
		assertThat(this.members.count()).isOne();
	}

	@Test
	void replacingTheAvatarDeletesTheOldOneAfterCommit() {
		put(AVATARS, "old.png");
		put(AVATARS, "new.png");
		Member member = this.members.save(new Member("a8m", "old.png"));
		member.setAvatarUrl("new.png");

		this.members.save(member);

		awaitGone(AVATARS, "old.png");
		assertThat(exists(AVATARS, "new.png")).isTrue();
	}

	@Test
	void switchingBetweenKeyAndUriOfTheSameObjectDeletesNothing() {
		put(AVATARS, "a8m.png");
		Member member = this.members.save(new Member("a8m", "a8m.png"));
		member.setAvatarUrl("s3://avatars/a8m.png");

		this.members.save(member);

		flushCleanup();
		assertThat(exists(AVATARS, "a8m.png")).isTrue();
	}

	@Test
	void anAvatarAnotherRowStillRefersToIsNeverDeleted() {
		put(AVATARS, "shared.png");
		Member first = this.members.save(new Member("first", "shared.png"));
		this.members.save(new Member("second", "s3://avatars/shared.png"));

		this.members.delete(first);

		flushCleanup();
		assertThat(exists(AVATARS, "shared.png")).isTrue();
		this.members.deleteAll();
		awaitGone(AVATARS, "shared.png");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			empty                   | ''                           | it is empty
			another bucket          | s3://other-bucket/a8m.png    | it names bucket 'other-bucket', not 'avatars'
			dot segment             | a/./b.png                    | it has a '.' segment
			dot-dot segment         | ../secrets/key.pem           | it has a '..' segment
			bucket without a key    | s3://avatars/                | it names no key
			""")
	void badReferencesAreRefusedBeforeAnyS3Call(String name, String reference, String problem) {
		assertThatExceptionOfType(InvalidS3ReferenceException.class)
			.isThrownBy(() -> this.members.save(new Member("a8m", reference)))
			.withMessageContaining("is not a valid reference to bucket 'avatars': " + problem);
		assertThat(this.requests.total()).isZero();
		assertThat(this.members.count()).isZero();
	}

	@Test
	void referencesWithControlCharactersOrOverLongKeysAreRefusedBeforeAnyS3Call() {
		assertThatExceptionOfType(InvalidS3ReferenceException.class)
			.isThrownBy(() -> this.members.save(new Member("a8m", "a8m\n.png")))
			.withMessageContaining("it has a control character (U+000A) at 3");
		assertThatExceptionOfType(InvalidS3ReferenceException.class)
			.isThrownBy(() -> this.members.save(new Member("a8m", "é".repeat(513))))
			.withMessageContaining("the key is 1026 bytes of UTF-8, more than 1024");
		assertThat(this.requests.total()).isZero();
		assertThat(this.members.count()).isZero();
	}

	@Test
	void aReferenceDeclaredInConfigurationIsSyncedUnderItsBucketPrefix() {
		assertThatExceptionOfType(InvalidS3ReferenceException.class)
			.isThrownBy(() -> this.documents.save(Document.of("plan", "elsewhere/plan.pdf")))
			.withMessageContaining("it is outside the prefix 'docs/'");
		assertThatExceptionOfType(S3ObjectMissingException.class)
			.isThrownBy(() -> this.documents.save(Document.of("plan", "docs/plan.pdf")))
			.satisfies(ex -> assertThat(ex.getBucket()).isEqualTo(DOCS));
		// Asked before the transaction, and, being missing then, again inside it: a hook may have uploaded it since.
		assertThat(this.requests.count("HeadObject")).isEqualTo(2);

		put(DOCS, "docs/plan.pdf");
		Document saved = this.documents.save(Document.of("plan", "s3://team-docs/docs/plan.pdf"));
		this.documents.delete(saved);

		awaitGone(DOCS, "docs/plan.pdf");
	}

	@Test
	void aStoredReferenceOutsideTheBucketPrefixIsNeverDeleted() {
		put(DOCS, "outside.pdf");
		this.jdbc.update("INSERT INTO document (title, attachment) VALUES ('legacy', 'outside.pdf')");

		this.documents.deleteAll();

		flushCleanup();
		assertThat(exists(DOCS, "outside.pdf")).isTrue();
		assertThat(this.documents.count()).isZero();
	}

	@Test
	void everyS3FailureSurfacesAsAMutationExceptionNamingTheEntity() {
		assertThatExceptionOfType(MutationException.class)
			.isThrownBy(() -> this.members.save(new Member("a8m", "missing.png")))
			.satisfies(ex -> assertThat(ex.getEntityType()).isEqualTo(Member.class));
	}

}
