package io.mutationhooks.s3;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import io.mutationhooks.s3.sweep.DanglingReferences;
import io.mutationhooks.s3.sweep.DanglingReport;
import io.mutationhooks.testaggregates.Album;
import io.mutationhooks.testaggregates.Album.Cover;
import io.mutationhooks.testaggregates.Album.Credit;
import io.mutationhooks.testaggregates.Album.Page;
import io.mutationhooks.testaggregates.Album.Photo;
import io.mutationhooks.testaggregates.Album.Sticker;
import io.mutationhooks.testaggregates.AlbumRepository;
import io.mutationhooks.testapp.EffectRows;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;
import io.mutationhooks.testapp.Pause;

/**
 * The writes of the randomized fault run ({@link ConvergenceUnderFaultsIntegrationTests}), in the test application
 * of a child JVM: once ready, {@value #THREADS} threads draw {@value #OPERATIONS} operations on members (an avatar
 * each) and albums (references inside the aggregate) in the "avatars" bucket, each operation's choices from
 * {@value #SEED} and its number, and say on the output how each one ended. Given {@value #SWEEP_SIGNAL}, it then
 * waits for that file, sweeps the bucket (delete, grace period from configuration), waits for the effects to settle
 * and reports the dangling references.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(FaultRunWorkload.SEED)
class FaultRunWorkload {

	static final String SEED = "test.fault-run.seed";

	static final String OPERATIONS = "test.fault-run.operations";

	static final String THREADS = "test.fault-run.threads";

	/** Names this process's keys, so that the keys of a restarted process differ from the killed one's. */
	static final String INSTANCE = "test.fault-run.instance";

	static final String SWEEP_SIGNAL = "test.fault-run.sweep-signal";

	static final String OPERATION = "fault-run op ";

	static final String STARTED = "fault-run started";

	static final String WORKLOAD_DONE = "fault-run workload done";

	static final String SWEPT = "fault-run swept ";

	static final String DANGLING = "fault-run dangling ";

	static final String CHECKS_DONE = "fault-run checks done";

	static final String BUCKET = "avatars";

	/** The operations, each with its weight in the draw. */
	enum Kind {

		CREATE_MEMBER(20), UPDATE_MEMBER(14), DELETE_MEMBER(7), SAVE_ALL_MEMBERS(8), DELETE_ALL_MEMBERS(4),
		CREATE_ALBUM(10), UPDATE_ALBUM(7), DELETE_ALBUM(3),
		/** An object uploaded that no row will refer to. */
		UPLOAD_UNREFERENCED(6),
		/** A member deleted with plain SQL, behind the hooks' back: its avatar is left. */
		PLAIN_SQL_DELETE(3),
		/** A member referring to an object never uploaded: its save must be refused. */
		REFER_TO_MISSING(3),
		/** An object of a row, maybe deleted since, uploaded again under its key and referred to by a new member. */
		REUPLOAD_SHARED(4);

		final int weight;

		Kind(int weight) {
			this.weight = weight;
		}

		static Kind draw(Random random) {
			int total = 0;
			for (Kind kind : values()) {
				total += kind.weight;
			}
			int pick = random.nextInt(total);
			for (Kind kind : values()) {
				pick -= kind.weight;
				if (pick < 0) {
					return kind;
				}
			}
			throw new IllegalStateException();
		}

	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> faultRun(MemberRepository members, AlbumRepository albums,
			S3Client s3, JdbcTemplate jdbc, Environment environment, S3References references,
			NamedParameterJdbcOperations namedJdbc, RelationalMappingContext mappingContext, JdbcDialect dialect,
			ObjectExistence existence, FaultRunSweep sweep) {
		return ready -> {
			Writes writes = new Writes(members, albums, s3, jdbc, environment.getRequiredProperty(INSTANCE));
			long seed = environment.getRequiredProperty(SEED, Long.class);
			int operations = environment.getRequiredProperty(OPERATIONS, Integer.class);
			int threads = environment.getRequiredProperty(THREADS, Integer.class);
			Optional<Path> sweepSignal = Optional.ofNullable(environment.getProperty(SWEEP_SIGNAL)).map(Path::of);
			Thread runner = new Thread(() -> {
				writes.run(seed, operations, threads);
				sweepSignal.ifPresent(signal -> {
					awaitFile(signal);
					System.out.println(SWEPT + sweep.sweep(BUCKET));
					EffectRows.awaitSettled(jdbc, Duration.ofMinutes(2));
					DanglingReport report = new DanglingReferences(references, namedJdbc, mappingContext, dialect,
							existence, s3)
						.report(references.buckets().get(BUCKET));
					System.out.println(DANGLING + report + " " + report.firstDangling() + " " + report.firstUnknown());
					System.out.println(CHECKS_DONE);
				});
			}, "fault-run");
			runner.start();
		};
	}

	@Bean
	FaultRunSweep faultRunSweep(org.springframework.context.ApplicationContext context) {
		return new FaultRunSweep(context);
	}

	private static void awaitFile(Path signal) {
		while (!Files.exists(signal)) {
			Pause.millis(100);
		}
	}

	/** The operations, and the keys they share. */
	static final class Writes {

		private final MemberRepository members;

		private final AlbumRepository albums;

		private final S3Client s3;

		private final JdbcTemplate jdbc;

		private final String instance;

		/** Keys uploaded or read from rows: what a new row may share. Some are deleted since. */
		private final List<String> sharedKeys = new ArrayList<>();

		Writes(MemberRepository members, AlbumRepository albums, S3Client s3, JdbcTemplate jdbc, String instance) {
			this.members = members;
			this.albums = albums;
			this.s3 = s3;
			this.jdbc = jdbc;
			this.instance = instance;
		}

		void run(long seed, int operations, int threads) {
			// What the rows of a killed process refer to, for the keys a restarted one shares.
			this.jdbc.queryForList("SELECT avatar_url FROM member WHERE avatar_url IS NOT NULL", String.class)
				.forEach(reference -> share(keyOf(reference)));
			System.out.println(STARTED + " " + operations + " operation(s) on " + threads + " thread(s)");
			AtomicInteger next = new AtomicInteger();
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			for (int i = 0; i < threads; i++) {
				pool.execute(() -> {
					for (int n = next.getAndIncrement(); n < operations; n = next.getAndIncrement()) {
						// Each operation's choices come from the seed and its number, whichever thread runs it.
						Random random = new Random(seed * 1_000_003L + n);
						Kind kind = Kind.draw(random);
						try {
							kind = whatCanBeDone(kind);
							String detail = run(kind, n, random);
							System.out.println(OPERATION + n + " " + kind + " ok " + detail);
						}
						catch (RuntimeException ex) {
							System.out.println(OPERATION + n + " " + kind + " failed " + ex.getClass().getSimpleName()
									+ " (root cause " + rootCause(ex) + "): " + firstLine(ex.getMessage()));
						}
						// As users think between clicks: the faults then hit some of the writes, not all.
						Pause.millis(50 + random.nextInt(200));
					}
				});
			}
			pool.shutdown();
			try {
				pool.awaitTermination(1, TimeUnit.HOURS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			System.out.println(WORKLOAD_DONE);
		}

		/** A create instead of a change of a member or an album while there is none. */
		private Kind whatCanBeDone(Kind kind) {
			return switch (kind) {
				case UPDATE_MEMBER, DELETE_MEMBER, DELETE_ALL_MEMBERS, PLAIN_SQL_DELETE -> none("member")
						? Kind.CREATE_MEMBER : kind;
				case UPDATE_ALBUM, DELETE_ALBUM -> none("album") ? Kind.CREATE_ALBUM : kind;
				case REUPLOAD_SHARED -> sharedKey(new Random()).isEmpty() ? Kind.CREATE_MEMBER : kind;
				default -> kind;
			};
		}

		private boolean none(String table) {
			return this.jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class) == 0;
		}

		private String run(Kind kind, int n, Random random) {
			switch (kind) {
				case CREATE_MEMBER -> {
					Member member = this.members.save(new Member("m" + n, reference(avatar(n, 0, random), random)));
					return "member " + member.getId();
				}
				case UPDATE_MEMBER -> {
					Member member = this.members.findById(anyId("member", random)).orElseThrow();
					member.setAvatarUrl(reference(avatar(n, 0, random), random));
					this.members.save(member);
					return "member " + member.getId();
				}
				case DELETE_MEMBER -> {
					long id = anyId("member", random);
					if (random.nextBoolean()) {
						this.members.deleteById(id);
					}
					else {
						this.members.delete(this.members.findById(id).orElseThrow());
					}
					return "member " + id;
				}
				case SAVE_ALL_MEMBERS -> {
					List<Member> saved = new ArrayList<>();
					for (int i = 0; i < 2 + random.nextInt(4); i++) {
						saved.add(new Member("m" + n + "-" + i, reference(avatar(n, i, random), random)));
					}
					return "members " + this.members.saveAll(saved).stream().map(Member::getId).toList();
				}
				case DELETE_ALL_MEMBERS -> {
					List<Long> ids = new ArrayList<>();
					for (int i = 0; i < 2 + random.nextInt(3); i++) {
						ids.add(anyId("member", random));
					}
					if (random.nextBoolean()) {
						this.members.deleteAllById(ids);
					}
					else {
						this.members.deleteAll(this.members.findAllById(ids));
					}
					return "members " + ids;
				}
				case CREATE_ALBUM -> {
					Album album = new Album("a" + n);
					fill(album, n, random);
					return "album " + this.albums.save(album).getId();
				}
				case UPDATE_ALBUM -> {
					Album album = this.albums.findById(anyId("album", random)).orElseThrow();
					fill(album, n, random);
					this.albums.save(album);
					return "album " + album.getId();
				}
				case DELETE_ALBUM -> {
					long id = anyId("album", random);
					this.albums.deleteById(id);
					return "album " + id;
				}
				case UPLOAD_UNREFERENCED -> {
					String key = this.instance + "/unreferenced-" + n + ".png";
					upload(key);
					return key;
				}
				case PLAIN_SQL_DELETE -> {
					long id = anyId("member", random);
					this.jdbc.update("DELETE FROM member WHERE id = ?", id);
					return "member " + id;
				}
				case REFER_TO_MISSING -> {
					Member member = this.members
						.save(new Member("m" + n, reference(this.instance + "/missing-" + n + ".png", random)));
					return "member " + member.getId() + " REFERS TO A MISSING OBJECT";
				}
				case REUPLOAD_SHARED -> {
					String key = sharedKey(random).orElseThrow(() -> new IllegalStateException("no key to share yet"));
					upload(key);
					Member member = this.members.save(new Member("m" + n, reference(key, random)));
					return "member " + member.getId() + " " + key;
				}
			}
			throw new IllegalStateException(kind.toString());
		}

		/** Replaces the album's references: a cover, photos, pages, stickers and a credit, some of them shared. */
		private void fill(Album album, int n, Random random) {
			album.setCover(random.nextInt(4) == 0 ? null : new Cover(reference(avatar(n, 0, random), random), "c"));
			album.getPhotos().clear();
			int photos = random.nextInt(3);
			for (int i = 1; i <= photos; i++) {
				album.getPhotos().add(new Photo(reference(avatar(n, i, random), random)));
			}
			album.setPages(random.nextBoolean() ? List.of(new Page(reference(avatar(n, 5, random), random))) : List.of());
			Map<String, Sticker> stickers = new LinkedHashMap<>();
			if (random.nextBoolean()) {
				stickers.put("s", new Sticker(reference(avatar(n, 6, random), random)));
			}
			album.setStickers(stickers);
			album.setCredit(random.nextBoolean() ? new Credit("c" + n, reference(avatar(n, 7, random), random)) : null);
		}

		/** An object to refer to: one of the shared keys, or a new one uploaded first. */
		private String avatar(int n, int i, Random random) {
			if (random.nextInt(10) < 3) {
				Optional<String> shared = sharedKey(random);
				if (shared.isPresent()) {
					return shared.get();
				}
			}
			String key = this.instance + "/" + n + "-" + i + ".png";
			upload(key);
			share(key);
			return key;
		}

		private void upload(String key) {
			this.s3.putObject(request -> request.bucket(BUCKET).key(key),
					RequestBody.fromString("image of " + key, StandardCharsets.UTF_8));
		}

		private synchronized void share(String key) {
			if (this.sharedKeys.size() < 1000) {
				this.sharedKeys.add(key);
			}
			else {
				this.sharedKeys.set(Math.floorMod(key.hashCode(), this.sharedKeys.size()), key);
			}
		}

		private synchronized Optional<String> sharedKey(Random random) {
			return this.sharedKeys.isEmpty() ? Optional.empty()
					: Optional.of(this.sharedKeys.get(random.nextInt(this.sharedKeys.size())));
		}

		/** The key in one of its two forms: plain, or {@code s3://avatars/key}. */
		private static String reference(String key, Random random) {
			return random.nextBoolean() ? key : "s3://" + BUCKET + "/" + key;
		}

		static String keyOf(String reference) {
			String uri = "s3://" + BUCKET + "/";
			return reference.startsWith(uri) ? reference.substring(uri.length()) : reference;
		}

		private long anyId(String table, Random random) {
			List<Long> ids = this.jdbc.queryForList("SELECT id FROM " + table, Long.class);
			if (ids.isEmpty()) {
				throw new IllegalStateException("no " + table + " yet");
			}
			return ids.get(random.nextInt(ids.size()));
		}

		private static String rootCause(Throwable ex) {
			Throwable cause = ex;
			while (cause.getCause() != null && cause.getCause() != cause) {
				cause = cause.getCause();
			}
			return cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage());
		}

		private static String firstLine(String message) {
			if (message == null) {
				return "";
			}
			int end = message.indexOf('\n');
			String line = end < 0 ? message : message.substring(0, end);
			return line.length() > 200 ? line.substring(0, 200) + "..." : line;
		}

	}

}
