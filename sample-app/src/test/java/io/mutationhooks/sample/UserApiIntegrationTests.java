package io.mutationhooks.sample;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The users API: created users are listed and found; a user that is not there is a 404 problem. */
class UserApiIntegrationTests extends AbstractSampleAppIntegrationTests {

	@BeforeEach
	void putAnAvatar() {
		put("/avatars/a8m.png", PNG, "image/png");
	}

	@Test
	@SuppressWarnings("unchecked")
	void createdUsersAreListedInTheOrderTheyWereCreated() {
		postJson("/users", """
				{ "name": "ann", "avatarUrl": "a8m.png" }""");
		postJson("/users", """
				{ "name": "bob", "avatarUrl": "s3://avatars/a8m.png" }""");

		HttpResponse<String> users = get("/users");

		assertThat(users.statusCode()).isEqualTo(200);
		assertThat((List<Object>) json(users, "$[*].name")).containsExactly("ann", "bob");
		assertThat((List<Object>) json(users, "$[*].avatarUrl")).containsExactly("a8m.png", "s3://avatars/a8m.png");
	}

	@Test
	void aUserThatIsNotThereIs404() {
		HttpResponse<String> response = get("/users/42");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(contentType(response)).isEqualTo("application/problem+json");
		assertThat(detail(response)).isEqualTo("There is no user with id 42.");
	}

	@Test
	void deletingAUserThatIsNotThereIs404() {
		HttpResponse<String> response = delete("/users/42");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(contentType(response)).isEqualTo("application/problem+json");
		assertThat(detail(response)).isEqualTo("There is no user with id 42.");
	}

}
