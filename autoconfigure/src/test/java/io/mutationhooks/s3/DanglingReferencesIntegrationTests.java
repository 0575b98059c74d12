package io.mutationhooks.s3;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import io.mutationhooks.s3.sweep.DanglingReference;
import io.mutationhooks.s3.sweep.DanglingReference.Availability;
import io.mutationhooks.s3.sweep.DanglingReference.Row;
import io.mutationhooks.s3.sweep.DanglingReference.Status;
import io.mutationhooks.s3.sweep.DanglingReferences;
import io.mutationhooks.s3.sweep.DanglingReport;
import io.mutationhooks.testaggregates.Album;
import io.mutationhooks.testaggregates.Album.Cover;
import io.mutationhooks.testaggregates.Album.Credit;
import io.mutationhooks.testaggregates.Album.Page;
import io.mutationhooks.testaggregates.Album.Sticker;
import io.mutationhooks.testaggregates.AlbumRepository;
import io.mutationhooks.testapp.Document;
import io.mutationhooks.testapp.Member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The dangling-reference report against the in-process S3 server, on the test database: rows are written past the
 * hooks (plain SQL) or objects deleted behind their back, as the writes the hooks cannot see leave them.
 */
@ExtendWith(OutputCaptureExtension.class)
class DanglingReferencesIntegrationTests extends S3ProxyIntegrationTestSupport {

	@Autowired
	AlbumRepository albums;

	@Autowired
	NamedParameterJdbcOperations namedJdbc;

	@Autowired
	RelationalMappingContext mappingContext;

	@Autowired
	JdbcDialect dialect;

	@Autowired
	ObjectExistence existence;

	@Autowired
	DanglingReferences danglingReferences;

	S3Bucket avatars;

	@BeforeEach
	void avatarsBucket() {
		this.avatars = this.references.buckets().get(AVATARS);
	}

	@Test
	void reportsTheMissingObjectsOfBothReferenceFormsAndNotThoseThatAreThere() {
		put(AVATARS, "there.png");
		put(AVATARS, "there-too.png");
		insertMember("plain", "there.png");
		insertMember("uri", "s3://avatars/there-too.png");
		insertMember("plain-missing", "gone.png");
		insertMember("uri-missing", "s3://avatars/gone-too.png");

		DanglingReport report = dangling(DanglingReferences.DEFAULT_PAGE_SIZE, DanglingReferences.DEFAULT_LISTED)
			.report(this.avatars);

		assertThat(report.checked()).isEqualTo(4);
		assertThat(report.dangling()).isEqualTo(2);
		assertThat(report.unknown()).isZero();
		assertThat(report.firstDangling()).extracting(DanglingReference::entityType, DanglingReference::rootId,
				DanglingReference::row, DanglingReference::path, DanglingReference::reference, DanglingReference::key,
				DanglingReference::status)
			.containsExactly(
					tuple(Member.class, memberId("plain-missing"),
							new Row("member", Map.of("id", memberId("plain-missing"))), "avatarUrl", "gone.png",
							"gone.png", Status.MISSING),
					tuple(Member.class, memberId("uri-missing"),
							new Row("member", Map.of("id", memberId("uri-missing"))), "avatarUrl",
							"s3://avatars/gone-too.png", "gone-too.png", Status.MISSING));
		assertThat(report.firstDangling()).allSatisfy(reference -> assertThat(
				reference.earlierVersion().availability()).isEqualTo(Availability.NOT_LOOKED_FOR));
	}

	@Test
	void theStartersReportFindsAMissingObjectByTheBucketsNameInTheConfigurationAndLogsIt(CapturedOutput output) {
		put(AVATARS, "kept.png");
		insertMember("kept", "kept.png");
		insertMember("lost", "lost.png");

		DanglingReport report = this.danglingReferences.report(AVATARS);

		assertThat(report.checked()).isEqualTo(2);
		assertThat(report.dangling()).isEqualTo(1);
		assertThat(report.firstDangling()).extracting(DanglingReference::key).containsExactly("lost.png");
		assertThat(output).contains("Dangling references: s3://avatars: 2 references checked, 1 dangling, 0 unknown")
			.contains("Member " + memberId("lost") + " avatarUrl = 'lost.png': MISSING");
	}

	@Test
	void aBucketNameThatIsNotConfiguredIsAClearError() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.danglingReferences.report("no-such-bucket"))
			.withMessageContaining("no bucket 'no-such-bucket' is configured")
			.withMessageContaining(AVATARS);
	}

	@Test
	void nullReferencesAreNeitherCheckedNorCounted() {
		insertMember("no avatar", null);
		this.jdbc.update("INSERT INTO album (title) VALUES ('no cover')");
		this.jdbc.update("INSERT INTO album_photo (album_id, object_key) VALUES (?, NULL)", albumId("no cover"));

		DanglingReport report = dangling(DanglingReferences.DEFAULT_PAGE_SIZE, DanglingReferences.DEFAULT_LISTED)
			.report(this.avatars);

		assertThat(report.checked()).isZero();
		assertThat(report.dangling()).isZero();
		assertThat(this.requests.count("HeadObject")).isZero();
	}

	@Test
	void aReferenceToAnotherBucketIsDanglingAsInvalidWithoutAskingS3() {
		insertMember("elsewhere", "s3://someone-elses-bucket/a.png");

		DanglingReport report = dangling(DanglingReferences.DEFAULT_PAGE_SIZE, DanglingReferences.DEFAULT_LISTED)
			.report(this.avatars);

		assertThat(report.dangling()).isEqualTo(1);
		assertThat(report.firstDangling()).singleElement().satisfies(reference -> {
			assertThat(reference.status()).isEqualTo(Status.INVALID);
			assertThat(reference.key()).isNull();
			assertThat(reference.reason()).contains("someone-elses-bucket");
		});
		assertThat(this.requests.count("HeadObject")).isZero();
	}

	@Test
	void referencesInsideAnAggregateAreReportedWithTheRootsIdAndTheirRow() {
		for (String key : new String[] { "cover.png", "photo.png", "page.png", "sticker.png", "portrait.png",
				"kept.png" }) {
			put(AVATARS, key);
		}
		Album album = new Album("holiday", "photo.png", "kept.png");
		album.setCover(new Cover("cover.png", "the sea"));
		album.setPages(List.of(new Page("kept.png"), new Page("page.png")));
		album.setStickers(Map.of("Star", new Sticker("sticker.png")));
		album.setCredit(new Credit("a8m", "portrait.png"));
		Long id = this.albums.save(album).getId();
		// Behind the hooks' back, as another application sharing the bucket would.
		for (String key : new String[] { "cover.png", "photo.png", "page.png", "sticker.png", "portrait.png" }) {
			this.s3.deleteObject(request -> request.bucket(AVATARS).key(key));
		}

		DanglingReport report = dangling(DanglingReferences.DEFAULT_PAGE_SIZE, DanglingReferences.DEFAULT_LISTED)
			.report(this.avatars);

		assertThat(report.checked()).isEqualTo(7);
		assertThat(report.dangling()).isEqualTo(5);
		assertThat(report.firstDangling()).extracting(DanglingReference::entityType, DanglingReference::rootId,
				DanglingReference::path, DanglingReference::key, DanglingReference::row)
			.containsExactlyInAnyOrder(
					tuple(Album.class, id, "cover.image", "cover.png", new Row("album", Map.of("id", id))),
					tuple(Album.class, id, "photos.objectKey", "photo.png",
							new Row("album_photo", Map.of("album_id", id))),
					tuple(Album.class, id, "pages.scan", "page.png",
							new Row("album_page", Map.of("album_id", id, "page_index", 1))),
					tuple(Album.class, id, "stickers.image", "sticker.png",
							new Row("album_sticker", Map.of("album_id", id, "label", "Star"))),
					tuple(Album.class, id, "credit.portrait", "portrait.png",
							new Row("album_credit", Map.of("album_id", id))));
	}

	@Test
	void readsEveryRowInPagesOfThePageSizeButKeepsTheRowsOfOneAggregateTogether() {
		put(AVATARS, "there.png");
		for (int i = 1; i <= 5; i++) {
			insertMember("member " + i, i % 2 == 0 ? "there.png" : "gone-" + i + ".png");
		}
		this.jdbc.update("INSERT INTO album (title) VALUES ('big')");
		this.jdbc.update("INSERT INTO album (title) VALUES ('small')");
		for (int i = 1; i <= 5; i++) {
			this.jdbc.update("INSERT INTO album_photo (album_id, object_key) VALUES (?, ?)", albumId("big"),
					"photo-" + i + ".png");
		}
		this.jdbc.update("INSERT INTO album_photo (album_id, object_key) VALUES (?, 'there.png')", albumId("small"));
		RecordingJdbc recording = new RecordingJdbc(this.namedJdbc);

		DanglingReport report = new DanglingReferences(this.references, recording, this.mappingContext, this.dialect,
				this.existence, this.s3, 2, DanglingReferences.DEFAULT_LISTED)
			.report(this.avatars);

		assertThat(report.checked()).isEqualTo(11);
		assertThat(report.dangling()).isEqualTo(8);
		assertThat(report.firstDangling()).extracting(DanglingReference::key)
			.containsExactlyInAnyOrder("gone-1.png", "gone-3.png", "gone-5.png", "photo-1.png", "photo-2.png",
					"photo-3.png", "photo-4.png", "photo-5.png");
		assertThat(recording.rowsReadOf("avatar_url")).containsExactly(2, 2, 1);
		// The big album's five photos share their album_id: one page, not cut in two.
		assertThat(recording.rowsReadOf("object_key")).containsExactly(5, 1);
	}

	@Test
	void readsEachRowOnceWhereTheDatabaseTakesTwoMapKeysForEqual() {
		this.jdbc.update("INSERT INTO album (title) VALUES ('stickers')");
		for (String label : new String[] { "Star", "star", "STAR " }) {
			this.jdbc.update("INSERT INTO album_sticker (album_id, label, image) VALUES (?, ?, ?)",
					albumId("stickers"), label, "gone-" + label.trim() + ".png");
		}

		DanglingReport report = dangling(1, DanglingReferences.DEFAULT_LISTED).report(this.avatars);

		// MariaDB compares labels ignoring case and trailing spaces: one page holds all three.
		assertThat(report.checked()).isEqualTo(3);
		assertThat(report.firstDangling()).extracting(DanglingReference::key)
			.containsExactlyInAnyOrder("gone-Star.png", "gone-star.png", "gone-STAR.png");
	}

	@Test
	void asksS3AboutEachKeyOncePerPageAndAboutTheBucketOncePerMissingKey() {
		put(AVATARS, "shared.png");
		for (int i = 1; i <= 3; i++) {
			insertMember("sharing " + i, i == 2 ? "s3://avatars/shared.png" : "shared.png");
			insertMember("missing " + i, "gone.png");
		}

		DanglingReport report = dangling(DanglingReferences.DEFAULT_PAGE_SIZE, DanglingReferences.DEFAULT_LISTED)
			.report(this.avatars);

		assertThat(report.checked()).isEqualTo(6);
		assertThat(report.dangling()).isEqualTo(3);
		assertThat(this.requests.count("HeadObject")).isEqualTo(2);
		assertThat(this.requests.count("HeadBucket")).isEqualTo(1);
	}

	@Test
	void listsTheFirstDanglingReferencesInTableOrderAndCountsThemAll() {
		for (int i = 1; i <= 7; i++) {
			insertMember("member " + i, "gone-" + i + ".png");
		}

		DanglingReport report = dangling(3, 3).report(this.avatars);

		assertThat(report.checked()).isEqualTo(7);
		assertThat(report.dangling()).isEqualTo(7);
		assertThat(report.firstDangling()).extracting(DanglingReference::key)
			.containsExactly("gone-1.png", "gone-2.png", "gone-3.png");
	}

	@Test
	void anS3ErrorOnAKeyIsReportedAsUnknownNotAsDangling() {
		put(AVATARS, "there.png");
		put(AVATARS, "failing.png");
		insertMember("there", "there.png");
		insertMember("failing", "failing.png");
		insertMember("gone", "gone.png");
		try (S3FaultProxy proxy = S3FaultProxy.inFrontOf(S3ProxyServer.shared().endpoint());
				S3Client s3 = client(proxy.endpoint());
				ObjectExistence existence = new ObjectExistence(s3, 4,
						AwsRequestOverrideConfiguration.builder().build())) {
			proxy.failHeadObject(AVATARS, "failing.png");

			DanglingReport report = dangling(existence, s3).report(this.avatars);

			assertThat(report.checked()).isEqualTo(3);
			assertThat(report.dangling()).isEqualTo(1);
			assertThat(report.firstDangling()).extracting(DanglingReference::key).containsExactly("gone.png");
			assertThat(report.unknown()).isEqualTo(1);
			assertThat(report.firstUnknown()).singleElement().satisfies(reference -> {
				assertThat(reference.key()).isEqualTo("failing.png");
				assertThat(reference.status()).isEqualTo(Status.UNKNOWN);
				assertThat(reference.reason()).contains("500");
			});
		}
	}

	@Test
	void anS3ThatDoesNotAnswerMakesEveryReferenceUnknownAndNoneDangling() {
		insertMember("a", "a.png");
		insertMember("b", "b.png");
		try (SilentS3Server silent = SilentS3Server.start();
				S3Client s3 = client(silent.endpoint());
				ObjectExistence existence = new ObjectExistence(s3, 2,
						AwsRequestOverrideConfiguration.builder()
							.apiCallAttemptTimeout(Duration.ofMillis(200))
							.apiCallTimeout(Duration.ofMillis(500))
							.build())) {

			DanglingReport report = dangling(existence, s3).report(this.avatars);

			assertThat(report.checked()).isEqualTo(2);
			assertThat(report.dangling()).isZero();
			assertThat(report.unknown()).isEqualTo(2);
			assertThat(report.firstUnknown()).extracting(DanglingReference::key).containsExactly("a.png", "b.png");
		}
	}

	@Test
	void inABucketWithVersioningAMissingObjectWithAnEarlierVersionIsRestorable() {
		S3ProxyServer versioned = S3ProxyServer.started();
		try (S3Client s3 = client(versioned.endpoint());
				ObjectExistence existence = new ObjectExistence(s3, 4,
						AwsRequestOverrideConfiguration.builder().build())) {
			s3.createBucket(request -> request.bucket(AVATARS));
			s3.putBucketVersioning(request -> request.bucket(AVATARS)
				.versioningConfiguration(configuration -> configuration.status("Enabled")));
			putText(s3, "deleted.png", "first");
			String newest = putText(s3, "deleted.png", "second");
			s3.deleteObject(request -> request.bucket(AVATARS).key("deleted.png"));
			String purged = putText(s3, "purged.png", "only");
			s3.deleteObject(request -> request.bucket(AVATARS).key("purged.png").versionId(purged));
			putText(s3, "deleted.png.bak", "another key sharing the prefix");
			putText(s3, "there.png", "here");
			insertMember("deleted", "deleted.png");
			insertMember("purged", "s3://avatars/purged.png");
			insertMember("never", "never.png");
			insertMember("there", "there.png");

			DanglingReport report = dangling(existence, s3).report(this.avatars);

			assertThat(report.checked()).isEqualTo(4);
			assertThat(report.dangling()).isEqualTo(3);
			assertThat(report.firstDangling()).extracting(DanglingReference::key,
					reference -> reference.earlierVersion().availability(),
					reference -> reference.earlierVersion().versionId())
				.containsExactly(tuple("deleted.png", Availability.RESTORABLE, newest),
						tuple("purged.png", Availability.NONE, null), tuple("never.png", Availability.NONE, null));
		}
		finally {
			versioned.stop();
		}
	}

	@Test
	void aReportReadsOnlyTheColumnsOfItsBindingNotThoseOfAnotherBindingOfTheSameRealBucket() {
		// Two bindings of the real bucket avatars: members' avatars under users/, documents under docs/.
		S3Bucket users = new S3Bucket(AVATARS, AVATARS, "users/", true, true);
		S3Bucket docs = new S3Bucket("docs", AVATARS, "docs/", true, true);
		S3References sharingABucket = new S3References(List.of(users, docs),
				List.of(new S3References.Declared(Document.class, "attachment", "docs"),
						new S3References.Declared(Page.class, "scan", AVATARS)),
				this.mappingContext);
		DanglingReferences dangling = new DanglingReferences(sharingABucket, this.namedJdbc, this.mappingContext,
				this.dialect, this.existence, this.s3);
		put(AVATARS, "users/a.png");
		put(AVATARS, "docs/d.pdf");
		insertMember("a", "users/a.png");
		this.jdbc.update("DELETE FROM document");
		try {
			this.jdbc.update("INSERT INTO document (title, attachment) VALUES (?, ?)", "d", "docs/d.pdf");
			this.jdbc.update("INSERT INTO document (title, attachment) VALUES (?, ?)", "gone", "docs/gone.pdf");

			DanglingReport ofUsers = dangling.report(users);
			DanglingReport ofDocs = dangling.report(docs);

			assertThat(ofUsers.checked()).as("the member's avatar only").isOne();
			assertThat(ofUsers.dangling()).isZero();
			assertThat(ofDocs.checked()).as("the documents only").isEqualTo(2);
			assertThat(ofDocs.dangling()).isOne();
			assertThat(ofDocs.firstDangling()).extracting(DanglingReference::key, DanglingReference::status)
				.containsExactly(tuple("docs/gone.pdf", Status.MISSING));
			assertThat(dangling.reportAll()).as("each column read once")
				.extracting(DanglingReport::checked)
				.containsExactlyInAnyOrder(1L, 2L);
		}
		finally {
			this.jdbc.update("DELETE FROM document");
		}
	}

	private DanglingReferences dangling(int pageSize, int listed) {
		return new DanglingReferences(this.references, this.namedJdbc, this.mappingContext, this.dialect,
				this.existence, this.s3, pageSize, listed);
	}

	private DanglingReferences dangling(ObjectExistence existence, S3Client s3) {
		return new DanglingReferences(this.references, this.namedJdbc, this.mappingContext, this.dialect, existence,
				s3);
	}

	private Long albumId(String title) {
		return this.jdbc.queryForObject("SELECT id FROM album WHERE title = ?", Long.class, title);
	}

	/** Writes {@code key} and returns the id of the version written. */
	private static String putText(S3Client s3, String key, String text) {
		return s3.putObject(request -> request.bucket(AVATARS).key(key),
				RequestBody.fromString(text))
			.versionId();
	}

	private static S3Client client(URI endpoint) {
		return S3Client.builder()
			.endpointOverride(endpoint)
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
			.build();
	}

	/** Notes how many rows each query answered, by its SQL. */
	private static final class RecordingJdbc extends NamedParameterJdbcTemplate {

		private final List<Map.Entry<String, Integer>> answers = new CopyOnWriteArrayList<>();

		RecordingJdbc(NamedParameterJdbcOperations jdbc) {
			super(jdbc.getJdbcOperations());
		}

		@Override
		public <T> List<T> query(String sql, Map<String, ?> parameters, RowMapper<T> rowMapper) {
			List<T> rows = super.query(sql, parameters, rowMapper);
			this.answers.add(Map.entry(sql, rows.size()));
			return rows;
		}

		/** How many rows each query reading the references in {@code column} answered, in order. */
		List<Integer> rowsReadOf(String column) {
			return this.answers.stream()
				.filter(answer -> {
					String sql = answer.getKey().toLowerCase(Locale.ROOT);
					return sql.substring(0, sql.indexOf(" from ")).contains(column);
				})
				.map(Map.Entry::getValue)
				.toList();
		}

	}

}
