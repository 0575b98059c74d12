package io.mutationhooks.s3;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.Op;
import io.mutationhooks.testaggregates.Album;
import io.mutationhooks.testaggregates.Album.Cover;
import io.mutationhooks.testaggregates.Album.Credit;
import io.mutationhooks.testaggregates.Album.Page;
import io.mutationhooks.testaggregates.Album.Photo;
import io.mutationhooks.testaggregates.Album.Sticker;
import io.mutationhooks.testaggregates.AlbumRepository;
import io.mutationhooks.testapp.Pause;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * References inside an aggregate, on every kind of child Spring Data JDBC maps (one-to-one, set, list, map, embedded
 * value), are verified when an aggregate adds or changes them and cleaned up when it drops them or is deleted, as
 * root fields are. The album's page scans are declared in configuration on the child type.
 */
class S3AggregateReferencesIntegrationTests extends S3ProxyIntegrationTestSupport {

	@Autowired
	AlbumRepository albums;

	@Autowired
	PlatformTransactionManager transactionManager;

	/**
	 * A transaction that read an album before another one replaced its photo, and whose replaced photo's object was
	 * deleted since, saves the album as it read it: it may not commit a reference to the deleted object. On MySQL and
	 * MariaDB the old state of its children would come from the transaction's snapshot (the photo as it read it, so
	 * "unchanged" and not checked); their rows are compared with the latest ones, and the save refused as stale.
	 */
	@Test
	void aSaveOfChildrenReadBeforeAnotherTransactionReplacedThemCommitsNoReferenceToADeletedObject() throws Exception {
		put(AVATARS, "replaced.png");
		put(AVATARS, "replacement.png");
		Long id = this.albums.save(new Album("trip", "replaced.png")).getId();
		CountDownLatch read = new CountDownLatch(1);
		CountDownLatch replaced = new CountDownLatch(1);
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		CompletableFuture<Void> staleSave = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
			Album asRead = this.albums.findById(id).orElseThrow();
			read.countDown();
			Pause.until(replaced);
			this.albums.save(asRead);
		}));
		assertThat(read.await(20, TimeUnit.SECONDS)).isTrue();
		Album album = this.albums.findById(id).orElseThrow();
		album.getPhotos().clear();
		album.getPhotos().add(new Photo("replacement.png"));
		this.albums.save(album);
		awaitGone(AVATARS, "replaced.png");
		replaced.countDown();

		assertThatExceptionOfType(CompletionException.class).isThrownBy(staleSave::join);
		flushCleanup();
		assertThat(this.albums.findById(id).orElseThrow().getPhotos()).extracting(Photo::objectKey)
			.containsExactly("replacement.png");
		assertThat(exists(AVATARS, "replacement.png")).isTrue();
	}

	@Test
	void aChildWithAMissingObjectRefusesTheCreate() {
		put(AVATARS, "there.png");

		assertThatExceptionOfType(S3ObjectMissingException.class)
			.isThrownBy(() -> this.albums.save(new Album("holiday", "there.png", "missing.png")))
			.withMessage("CREATE of Album failed in hook 's3SyncHook': photos.objectKey refers to "
					+ "s3://avatars/missing.png, which does not exist")
			.satisfies(ex -> {
				assertThat(ex.getField()).isEqualTo("photos.objectKey");
				assertThat(ex.getKey()).isEqualTo("missing.png");
			});
		assertThat(this.albums.count()).isZero();
	}

	@Test
	void everyKindOfChildIsCheckedOnCreateUnderItsPath() {
		put(AVATARS, "there.png");
		Album page = new Album("pages");
		page.setPages(List.of(new Page("there.png"), new Page("missing-page.png")));
		Album sticker = new Album("stickers");
		sticker.setStickers(Map.of("star", new Sticker("missing-sticker.png")));
		Album credit = new Album("credit");
		credit.setCredit(new Credit("a8m", "missing-portrait.png"));
		Album cover = new Album("cover");
		cover.setCover(new Cover("missing-cover.png", "the sea"));

		assertThatExceptionOfType(S3ObjectMissingException.class).isThrownBy(() -> this.albums.save(page))
			.satisfies(ex -> assertThat(ex.getField()).isEqualTo("pages.scan"));
		assertThatExceptionOfType(S3ObjectMissingException.class).isThrownBy(() -> this.albums.save(sticker))
			.satisfies(ex -> assertThat(ex.getField()).isEqualTo("stickers.image"));
		assertThatExceptionOfType(S3ObjectMissingException.class).isThrownBy(() -> this.albums.save(credit))
			.satisfies(ex -> assertThat(ex.getField()).isEqualTo("credit.portrait"));
		assertThatExceptionOfType(S3ObjectMissingException.class).isThrownBy(() -> this.albums.save(cover))
			.satisfies(ex -> assertThat(ex.getField()).isEqualTo("cover.image"));
		assertThat(this.albums.count()).isZero();
	}

	@Test
	void anUpdateAddingAChildChecksOnlyThatChildsObject() {
		put(AVATARS, "a.png");
		put(AVATARS, "b.png");
		Album album = this.albums.save(new Album("holiday", "a.png", "b.png"));
		album.getPhotos().add(new Photo("c.png"));

		assertThatExceptionOfType(S3ObjectMissingException.class).isThrownBy(() -> this.albums.save(album))
			.satisfies(ex -> {
				assertThat(ex.getOp()).isEqualTo(Op.UPDATE_ONE);
				assertThat(ex.getKey()).isEqualTo("c.png");
			});
		put(AVATARS, "c.png");
		this.requests.reset();

		this.albums.save(album);

		assertThat(this.requests.count("HeadObject")).isOne();
		assertThat(this.albums.findById(album.getId()).orElseThrow().getPhotos()).hasSize(3);
	}

	@Test
	void droppingAChildDeletesItsObjectAfterCommit() {
		put(AVATARS, "a.png");
		put(AVATARS, "b.png");
		Album album = this.albums.save(new Album("holiday", "a.png", "b.png"));
		album.getPhotos().remove(new Photo("a.png"));

		this.albums.save(album);

		awaitGone(AVATARS, "a.png");
		assertThat(exists(AVATARS, "b.png")).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "credit", "cover" })
	void aChildWhoseReferenceChangedHasItsOldObjectDeleted(String child) {
		put(AVATARS, "old.png");
		put(AVATARS, "new.png");
		Album album = this.albums.save(albumReferringTo(child, "old.png"));
		referTo(album, child, "new.png");

		this.albums.save(album);

		awaitGone(AVATARS, "old.png");
		assertThat(exists(AVATARS, "new.png")).isTrue();
	}

	@Test
	void deletingTheAggregateDeletesEveryChildsObject() {
		List<String> keys = List.of("cover.png", "photo.png", "page.png", "sticker.png", "portrait.png");
		keys.forEach(key -> put(AVATARS, key));
		Album album = new Album("holiday", "photo.png");
		album.setCover(new Cover("cover.png", "the sea"));
		album.setPages(List.of(new Page("page.png")));
		album.setStickers(Map.of("star", new Sticker("sticker.png")));
		album.setCredit(new Credit("a8m", "portrait.png"));
		this.albums.save(album);

		this.albums.deleteById(album.getId());

		keys.forEach(key -> awaitGone(AVATARS, key));
	}

	@Test
	void anObjectAnotherAggregatesChildStillRefersToIsNotDeleted() {
		put(AVATARS, "shared.png");
		Album first = this.albums.save(new Album("first", "shared.png"));
		Album second = this.albums.save(new Album("second", "s3://avatars/shared.png"));
		Album third = new Album("third");
		third.setCover(new Cover("shared.png", "the sea"));
		this.albums.save(third);

		this.albums.delete(first);
		flushCleanup();
		assertThat(exists(AVATARS, "shared.png")).as("still referred to by a photo of another album").isTrue();
		this.albums.delete(second);
		flushCleanup();
		assertThat(exists(AVATARS, "shared.png")).as("still referred to by the cover of another album").isTrue();

		this.albums.delete(third);
		awaitGone(AVATARS, "shared.png");
	}

	@Test
	void anEmbeddedReferenceThatChangesIsCheckedAndAMissingObjectRefusesTheUpdate() {
		put(AVATARS, "cover.png");
		Album album = this.albums.save(albumReferringTo("cover", "cover.png"));
		referTo(album, "cover", "missing.png");

		assertThatExceptionOfType(S3ObjectMissingException.class).isThrownBy(() -> this.albums.save(album))
			.withMessage("UPDATE_ONE of Album failed in hook 's3SyncHook': cover.image refers to "
					+ "s3://avatars/missing.png, which does not exist");
		assertThat(this.jdbc.queryForObject("SELECT cover_image FROM album", String.class)).isEqualTo("cover.png");
	}

	@Test
	void saveAllChecksTheChildrensObjectsOnceEach() {
		for (String key : List.of("a.png", "b.png", "c.png")) {
			put(AVATARS, key);
		}
		this.requests.reset();

		this.albums.saveAll(List.of(new Album("one", "a.png", "b.png"), new Album("two", "b.png", "c.png")));

		assertThat(this.albums.count()).isEqualTo(2);
		assertThat(this.requests.count("HeadObject")).isEqualTo(3);
	}

	private static Album albumReferringTo(String child, String key) {
		Album album = new Album("holiday");
		referTo(album, child, key);
		return album;
	}

	/** Makes the one-to-one credit or the embedded cover of {@code album} refer to {@code key}. */
	private static void referTo(Album album, String child, String key) {
		switch (child) {
			case "credit" -> album.setCredit(new Credit("a8m", key));
			case "cover" -> album.setCover(new Cover(key, "the sea"));
			default -> throw new IllegalArgumentException(child);
		}
	}

}
