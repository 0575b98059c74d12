package io.mutationhooks.sample;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import software.amazon.awssdk.core.sync.RequestBody;

import io.mutationhooks.MutationException;
import io.mutationhooks.Op;
import io.mutationhooks.sample.users.User;
import io.mutationhooks.sample.users.UserRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The sample's own hook: a user cannot be changed after it is created, through the repository or the template.
 * There is no update over HTTP, so these tests write directly.
 */
class UsersAreImmutableIntegrationTests extends AbstractSampleAppIntegrationTests {

	static final String REFUSED = "UPDATE_ONE of User failed in hook 'usersAreImmutable': a user cannot be changed "
			+ "after it is created; delete it and create a new one";

	@Autowired
	UserRepository users;

	@Autowired
	JdbcAggregateTemplate template;

	User a8m;

	@BeforeEach
	void createAUser() {
		this.s3.putObject(request -> request.bucket(this.bucket.name()).key("a8m.png").contentType("image/png"),
				RequestBody.fromBytes(PNG));
		this.a8m = this.users.save(new User(null, "a8m", "a8m.png"));
	}

	@Test
	void savingAChangedUserIsRefusedAndChangesNothing() {
		User renamed = new User(this.a8m.id(), "ariel", this.a8m.avatarUrl());

		assertThatExceptionOfType(MutationException.class).isThrownBy(() -> this.users.save(renamed))
			.withMessage(REFUSED)
			.satisfies(ex -> assertThat(ex.getOp()).isEqualTo(Op.UPDATE_ONE));
		assertThat(this.users.findById(this.a8m.id())).contains(this.a8m);
	}

	@Test
	void updatingThroughTheTemplateIsRefusedToo() {
		User renamed = new User(this.a8m.id(), "ariel", this.a8m.avatarUrl());

		assertThatExceptionOfType(MutationException.class).isThrownBy(() -> this.template.update(renamed))
			.withMessage(REFUSED);
		assertThat(this.users.findById(this.a8m.id())).contains(this.a8m);
	}

	@Test
	void creatingAndDeletingAreStillAllowed() {
		put("/avatars/ann.png", PNG, "image/png");
		User ann = this.users.save(new User(null, "ann", "ann.png"));

		this.users.delete(ann);

		assertThat(this.users.findAll()).containsExactly(this.a8m);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.bucket.keys()).containsExactly("a8m.png"));
	}

}
