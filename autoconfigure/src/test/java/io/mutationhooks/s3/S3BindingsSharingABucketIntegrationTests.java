package io.mutationhooks.s3;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.s3.DeletionClaims.Claim;
import io.mutationhooks.testapp.Document;
import io.mutationhooks.testapp.DocumentRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two bindings of one real bucket: "avatars" cleans up, "docs" (prefix {@code docs/}, inside the avatars binding's
 * whole bucket) does not. A cleanup of avatars may delete an object a document refers to, so a document's write
 * leases what it checks as an avatar's write does.
 */
@TestPropertySource(properties = { "mutation-hooks.s3.buckets.docs.name=avatars",
		"mutation-hooks.s3.buckets.docs.cleanup=false" })
class S3BindingsSharingABucketIntegrationTests extends S3ProxyIntegrationTestSupport {

	@Autowired
	DocumentRepository documents;

	@Autowired
	DeletionClaims claims;

	@Autowired
	PlatformTransactionManager transactionManager;

	final String key = "docs/shared-" + UUID.randomUUID() + ".pdf";

	@AfterEach
	void deleteDocuments() {
		this.jdbc.update("DELETE FROM document");
	}

	@Test
	void aCleanupOfTheOtherBindingWaitsForAWriteOfABindingThatNeverCleansUp() {
		put(AVATARS, this.key);
		S3Bucket avatars = this.references.buckets().get(AVATARS);

		Claim claimWhileTheWriteIsOpen = new TransactionTemplate(this.transactionManager).execute(status -> {
			this.documents.save(Document.of("report", this.key));
			// Claimed as avatars' cleanup claims it, on its own connection, before the document commits.
			return CompletableFuture.supplyAsync(() -> this.claims.claimForDeletion(avatars, List.of(this.key)))
				.join();
		});

		assertThat(claimWhileTheWriteIsOpen.postponed()).containsExactly(this.key);
		assertThat(claimWhileTheWriteIsOpen.deletable()).isEmpty();
		assertThat(this.documents.findAll()).extracting(Document::attachment).containsExactly(this.key);
		assertThat(exists(AVATARS, this.key)).isTrue();
	}

}
