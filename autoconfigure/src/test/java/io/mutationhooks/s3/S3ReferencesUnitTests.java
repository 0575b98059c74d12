package io.mutationhooks.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.annotation.Id;
import org.springframework.data.jdbc.core.dialect.JdbcH2Dialect;
import org.springframework.data.jdbc.core.mapping.JdbcMappingContext;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

import io.mutationhooks.testaggregates.Album;
import io.mutationhooks.testaggregates.Album.Cover;
import io.mutationhooks.testaggregates.Album.Credit;
import io.mutationhooks.testaggregates.Album.Page;
import io.mutationhooks.testaggregates.Album.Sticker;
import io.mutationhooks.testapp.Member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * {@link S3References} finds the references inside an aggregate through the mapping context, names each by its path
 * from the root, and reads every value an aggregate holds on it; {@link JdbcStillReferenced} asks every table and
 * column they are stored in.
 */
class S3ReferencesUnitTests {

	private static final S3Bucket AVATARS = new S3Bucket("avatars", "avatars", "", true, true);

	private final JdbcMappingContext mappingContext = new JdbcMappingContext();

	private final S3References references = new S3References(List.of(AVATARS),
			List.of(new S3References.Declared(Page.class, "scan", "avatars")), this.mappingContext);

	@Test
	void everyReferenceInsideAnAggregateIsNamedByItsPathFromTheRoot() {
		assertThat(this.references.pathsOf(Album.class)).extracting(ReferencePath::path)
			.containsExactlyInAnyOrder("cover.image", "photos.objectKey", "pages.scan", "stickers.image",
					"credit.portrait");
		assertThat(this.references.pathsOf(Album.class)).extracting(String::valueOf)
			.contains("Album.photos.objectKey -> avatars");
	}

	@Test
	void checkedWritesLeaseWhereTheirBindingOrAnOverlappingOneOfTheSameRealBucketCleansUp() {
		S3Bucket cleaned = new S3Bucket("avatars", "media", "", true, true);
		S3Bucket archive = new S3Bucket("archive", "media", "archive/", true, false);
		S3Bucket elsewhere = new S3Bucket("exports", "exports", "", true, false);
		S3Bucket besideTheCleanedPrefix = new S3Bucket("docs", "shared", "docs/", true, false);
		S3Bucket cleanedPrefix = new S3Bucket("scans", "shared", "scans/", true, true);
		S3References references = new S3References(
				List.of(cleaned, archive, elsewhere, besideTheCleanedPrefix, cleanedPrefix), List.of());

		assertThat(references.leasesChecked(cleaned)).isTrue();
		assertThat(references.leasesChecked(archive)).as("cleaned up by 'avatars', whose prefix holds its own").isTrue();
		assertThat(references.leasesChecked(elsewhere)).as("no binding of its bucket cleans up").isFalse();
		assertThat(references.leasesChecked(besideTheCleanedPrefix)).as("the cleaned prefix is apart from its own")
			.isFalse();
		assertThat(references.leasesChecked(cleanedPrefix)).isTrue();
	}

	@Test
	void aRootFieldKeepsItsFieldNameAsPath() {
		assertThat(this.references.pathsOf(Member.class)).singleElement().satisfies(path -> {
			assertThat(path.path()).isEqualTo("avatarUrl");
			assertThat(path.onRoot()).isTrue();
			assertThat(path).hasToString(path.field().toString());
		});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void anAggregateTypeWithReferencesFirstWrittenAfterStartUpIsWarnedAboutOnce(CapturedOutput output) {
		this.mappingContext.getRequiredPersistentEntity(Album.class);
		this.references.warnIfUnknownAtStartUp(Poster.class);
		assertThat(output).as("start-up has not ended").doesNotContain("was not known");
		this.references.resolveAllAtStartUp(this.mappingContext);

		this.references.warnIfUnknownAtStartUp(Album.class);
		this.references.warnIfUnknownAtStartUp(Album.Photo.class);
		this.references.warnIfUnknownAtStartUp(Note.class);
		assertThat(output).as("known at start-up, inside a known aggregate, or without references")
			.doesNotContain("was not known");

		// As a type only ever written through the template, without @Table: Spring Boot's scan does not find it.
		this.references.warnIfUnknownAtStartUp(Poster.class);
		this.references.warnIfUnknownAtStartUp(Poster.class);

		assertThat(output.getOut().split("was not known", -1)).as("one warning").hasSize(2);
		assertThat(output).contains(Poster.class.getName() + " refers to S3 objects ([image]) but was not known to "
				+ "Spring Data JDBC when the application started")
			.contains("Annotate it with @Table in a package Spring Boot scans for entities");
	}

	@Test
	void withoutAMappingContextOnlyRootFieldsAreSeen() {
		S3References rootsOnly = new S3References(List.of(AVATARS), List.of());

		assertThat(rootsOnly.pathsOf(Album.class)).isEmpty();
		assertThat(rootsOnly.pathsOf(Member.class)).extracting(ReferencePath::path).containsExactly("avatarUrl");
	}

	@Test
	void aPathHoldsOneValuePerElementOfItsCollectionsAndMapsAndNoneForNull() {
		Album album = new Album("holiday", "a.png", "b.png");
		album.setStickers(Map.of("star", new Sticker("star.png"), "moon", new Sticker(null)));
		album.setCover(new Cover("cover.png", "the sea"));
		album.setCredit(new Credit("a8m", "portrait.png"));

		List<String> values = new ArrayList<>();
		this.references.pathsOf(Album.class).forEach(path -> values.addAll(path.valuesIn(album)));

		assertThat(values).containsExactlyInAnyOrder("a.png", "b.png", "star.png", "cover.png", "portrait.png");
	}

	@Test
	void aValueAFixedLengthColumnPadsWithSpacesStillKeepsItsObject() {
		this.mappingContext.getRequiredPersistentEntity(Member.class);
		NamedParameterJdbcOperations jdbc = mock(NamedParameterJdbcOperations.class);
		// As PostgreSQL returns a CHAR(20) column's values, and as a case-insensitive collation matches more.
		when(jdbc.queryForList(anyString(), anyMap(), eq(String.class)))
			.thenReturn(List.of("users/a.png         ", "S3://AVATARS/users/b.png", "s3://avatars/users/c.png  "));

		Set<String> referenced = new JdbcStillReferenced(this.references, jdbc, this.mappingContext,
				JdbcH2Dialect.INSTANCE)
			.among(AVATARS, Set.of("users/a.png", "users/b.png", "users/c.png", "users/d.png"));

		assertThat(referenced).containsExactlyInAnyOrder("users/a.png", "users/c.png");
	}

	@Test
	void theStillReferencedCheckAsksEveryTableAndColumnThatHoldsReferencesOnce() {
		this.mappingContext.getRequiredPersistentEntity(Album.class);
		this.mappingContext.getRequiredPersistentEntity(Member.class);
		NamedParameterJdbcOperations jdbc = mock(NamedParameterJdbcOperations.class);

		new JdbcStillReferenced(this.references, jdbc, this.mappingContext, JdbcH2Dialect.INSTANCE)
			.among(AVATARS, Set.of("a.png"));

		ArgumentCaptor<String> sql = ArgumentCaptor.forClass(String.class);
		verify(jdbc, atLeastOnce()).queryForList(sql.capture(), anyMap(), eq(String.class));
		assertThat(sql.getAllValues()).containsExactlyInAnyOrder(
				"SELECT \"AVATAR_URL\" FROM \"member\" WHERE \"AVATAR_URL\" IN (:values)",
				"SELECT \"COVER_IMAGE\" FROM \"album\" WHERE \"COVER_IMAGE\" IN (:values)",
				"SELECT \"OBJECT_KEY\" FROM \"album_photo\" WHERE \"OBJECT_KEY\" IN (:values)",
				"SELECT \"SCAN\" FROM \"album_page\" WHERE \"SCAN\" IN (:values)",
				"SELECT \"IMAGE\" FROM \"album_sticker\" WHERE \"IMAGE\" IN (:values)",
				"SELECT \"PORTRAIT\" FROM \"album_credit\" WHERE \"PORTRAIT\" IN (:values)");
	}

	static class Poster {

		@Id
		Long id;

		@S3Reference(bucket = "avatars")
		String image;

	}

	static class Note {

		@Id
		Long id;

		String text;

	}

}
