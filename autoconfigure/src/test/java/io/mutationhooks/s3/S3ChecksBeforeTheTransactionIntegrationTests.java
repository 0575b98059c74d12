package io.mutationhooks.s3;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.github.kagkarlsson.scheduler.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.Op;
import io.mutationhooks.testaggregates.Album;
import io.mutationhooks.testaggregates.Album.Cover;
import io.mutationhooks.testaggregates.AlbumRepository;
import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;
import io.mutationhooks.testapp.SwitchableHook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A create that opens its own transaction checks its S3 references before the transaction takes a database
 * connection, so a slow S3 holds no pooled connection; inside a caller's transaction the connection is taken already
 * and the check runs on it. Each HeadObject request notes how many pooled connections are in use as it is sent.
 */
class S3ChecksBeforeTheTransactionIntegrationTests extends S3ProxyIntegrationTestSupport {

	@Autowired
	MemberRepository members;

	@Autowired
	AlbumRepository albums;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	DataSource dataSource;

	@Autowired
	SwitchableHook hook;

	@Autowired
	JdbcAggregateTemplate template;

	@Autowired
	Scheduler scheduler;

	final List<Integer> connectionsInUseAtHeadObject = new CopyOnWriteArrayList<>();

	@BeforeEach
	void noteConnectionsInUseAtEachHeadObject() {
		// The pool counts every thread's connections: the effect scheduler's polls must not take one meanwhile.
		this.scheduler.pause();
		HikariDataSource pool = (HikariDataSource) this.dataSource;
		this.requests.onSend(operation -> {
			if (operation.equals("HeadObject")) {
				this.connectionsInUseAtHeadObject.add(pool.getHikariPoolMXBean().getActiveConnections());
			}
		});
	}

	@AfterEach
	void resetHook() {
		this.hook.reset();
		this.scheduler.resume();
	}

	@Test
	void aCreateChecksItsAvatarBeforeItsTransactionTakesAConnection() {
		put(AVATARS, "a.png");

		this.members.save(new Member("a", "a.png"));

		assertThat(this.connectionsInUseAtHeadObject).containsExactly(0);
		assertThat(this.members.count()).isOne();
	}

	@Test
	void aTemplateInsertChecksItsAvatarBeforeTheTransactionItOpens() {
		put(AVATARS, "a.png");

		this.template.insert(new Member("a", "a.png"));

		assertThat(this.connectionsInUseAtHeadObject).containsExactly(0);
		assertThat(this.members.count()).isOne();
	}

	@Test
	void aSaveAllOfNewMembersChecksEveryAvatarBeforeItsTransaction() {
		put(AVATARS, "a.png");
		put(AVATARS, "b.png");
		put(AVATARS, "c.png");

		this.members.saveAll(List.of(new Member("a", "a.png"), new Member("b", "b.png"), new Member("c", "c.png")));

		assertThat(this.connectionsInUseAtHeadObject).containsExactly(0, 0, 0);
		assertThat(this.members.count()).isEqualTo(3);
	}

	@Test
	void aCreateChecksTheObjectsInsideItsAggregateBeforeItsTransactionTakesAConnection() {
		put(AVATARS, "a.png");
		put(AVATARS, "b.png");
		put(AVATARS, "cover.png");
		Album album = new Album("holiday", "a.png", "b.png");
		album.setCover(new Cover("cover.png", "the sea"));

		this.albums.save(album);

		assertThat(this.connectionsInUseAtHeadObject).containsExactly(0, 0, 0);
		assertThat(this.albums.count()).isOne();
	}

	@Test
	void anAvatarMissingBeforeTheTransactionIsAskedForAgainInsideItSinceAHookMayHaveUploadedIt() {
		assertThatExceptionOfType(S3ObjectMissingException.class)
			.isThrownBy(() -> this.members.save(new Member("a", "missing.png")));

		assertThat(this.connectionsInUseAtHeadObject).containsExactly(0, 1);
		assertThat(this.members.count()).isZero();
	}

	@Test
	void anAvatarAHookUploadsAfterTheCheckBeforeTheTransactionIsAccepted() {
		this.hook.set(next -> m -> {
			if (m.op() == Op.CREATE && m.type() == Member.class) {
				put(AVATARS, "uploaded-by-hook.png");
			}
			return next.mutate(m);
		});

		this.members.save(new Member("a", "uploaded-by-hook.png"));

		assertThat(this.members.count()).isOne();
	}

	@Test
	void anAvatarAHookSetsIsCheckedInsideTheTransaction() {
		put(AVATARS, "a.png");
		this.hook.set(next -> m -> {
			if (m.op() == Op.CREATE && m.type() == Member.class) {
				m.setField("avatarUrl", "set-by-hook.png");
			}
			return next.mutate(m);
		});

		assertThatExceptionOfType(S3ObjectMissingException.class)
			.isThrownBy(() -> this.members.save(new Member("a", "a.png")))
			.withMessageContaining("set-by-hook.png");

		assertThat(this.connectionsInUseAtHeadObject).containsExactly(0, 1);
		assertThat(this.members.count()).isZero();
	}

	@Test
	void insideACallersTransactionTheCheckRunsOnItsConnection() {
		put(AVATARS, "a.png");

		this.transactions.executeWithoutResult(status -> this.members.save(new Member("a", "a.png")));

		assertThat(this.connectionsInUseAtHeadObject).containsExactly(1);
		assertThat(this.members.count()).isOne();
	}

}
