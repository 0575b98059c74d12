package io.mutationhooks.s3;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A stored reference deletes exactly the object it names: never another row's object that its text, its URI form
 * or the bytes the SDK sends for it could be taken for.
 */
class S3KeyAliasingIntegrationTests extends S3ProxyIntegrationTestSupport {

	@Autowired
	MemberRepository members;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	StillReferenced stillReferenced;

	@Test
	void deletingAKeyAndTheKeyItsUriSpellsKeepsTheObjectAnotherRowStillNames() {
		put(AVATARS, "k");
		Member plain = this.members.save(new Member("plain", "k"));
		// Written past the existence check: S3Proxy cannot hold a key with "//", such as s3://avatars/k.
		insertMember("uri", "s3://avatars/k");
		insertMember("uri of uri", "s3://avatars/s3://avatars/k");

		this.transactions.executeWithoutResult(status -> {
			this.members.delete(plain);
			this.members.deleteById(memberId("uri of uri"));
		});

		flushCleanup();
		assertThat(exists(AVATARS, "k")).as("k, which row 'uri' still refers to").isTrue();
		this.members.deleteAll();
		awaitGone(AVATARS, "k");
	}

	@Test
	void aStoredValueMarksExactlyTheKeyItNamesAsReferenced() {
		S3Bucket avatars = this.references.buckets().get(AVATARS);
		insertMember("uri", "s3://avatars/k");

		// A plain key cannot start with s3://, so the stored value names k, and only k.
		assertThat(this.stillReferenced.among(avatars, List.of("k", "s3://avatars/k"))).containsExactly("k");

		insertMember("uri of uri", "s3://avatars/s3://avatars/k");

		assertThat(this.stillReferenced.among(avatars, List.of("k", "s3://avatars/k")))
			.containsExactlyInAnyOrder("k", "s3://avatars/k");
		assertThat(this.stillReferenced.among(avatars, List.of("s3://avatars/k"))).containsExactly("s3://avatars/k");
	}

	@Test
	void aReferenceWithAnUnpairedSurrogateIsRefusedBeforeAnyS3Call() {
		put(AVATARS, "users/?x");
		this.requests.reset();

		assertThatExceptionOfType(InvalidS3ReferenceException.class)
			.isThrownBy(() -> this.members.save(new Member("b", "users/\uD800x")))
			.withMessageContaining("it has an unpaired surrogate (U+D800) at 6");
		assertThat(this.requests.total()).isZero();
		assertThat(this.members.count()).isZero();
	}

	@Test
	void deletingAStoredReferenceWithAnUnpairedSurrogateNeverDeletesTheObjectTheSdkWouldNameInstead() {
		put(AVATARS, "users/?x");
		this.members.save(new Member("a", "users/?x"));
		insertMember("b", "users/\uD800x");

		this.members.deleteById(memberId("b"));

		flushCleanup();
		assertThat(exists(AVATARS, "users/?x")).as("users/?x, which row a refers to").isTrue();
	}

	@Test
	void aReferenceXmlCannotCarryIsRefusedBeforeAnyS3Call() {
		assertThatExceptionOfType(InvalidS3ReferenceException.class)
			.isThrownBy(() -> this.members.save(new Member("b", "users/x\uFFFF")))
			.withMessageContaining("it has a character XML 1.0 cannot carry (U+FFFF) at 7");
		assertThatExceptionOfType(InvalidS3ReferenceException.class)
			.isThrownBy(() -> this.members.save(new Member("b", "users/x\uFFFE")))
			.withMessageContaining("it has a character XML 1.0 cannot carry (U+FFFE) at 7");
		assertThat(this.requests.total()).isZero();
		assertThat(this.members.count()).isZero();
	}

	@Test
	void aStoredReferenceXmlCannotCarryDoesNotKeepTheOtherObjectsOfItsDeleteFromBeingDeleted() {
		put(AVATARS, "ok.png");
		this.members.save(new Member("ok", "ok.png"));
		insertMember("bad", "users/x\uFFFF");

		this.members.deleteAll();

		awaitGone(AVATARS, "ok.png");
		assertThat(this.members.count()).isZero();
	}

}
