package io.mutationhooks.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mutationhooks.testapp.Post;
import io.mutationhooks.testapp.PostRepository;
import io.mutationhooks.testapp.TestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the starter fixes, shown with it switched off: plain Spring Data JDBC keeps the first statement of a failed
 * multi-statement delete, so the atomicity tests of {@link TransactionIntegrationTests} can fail.
 */
@SpringBootTest(classes = TestApplication.class, properties = "mutation-hooks.enabled=false")
class PlainSpringDataJdbcIntegrationTests {

	@Autowired
	PostRepository posts;

	@Autowired
	JdbcAggregateTemplate template;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	@AfterEach
	void clean() {
		TestDatabase.clean(this.jdbc);
	}

	@Test
	void withoutTheStarterTemplateIsNotHooked() {
		assertThat(HookedAggregateOperationsPostProcessor.isHooked(this.template)).isFalse();
	}

	@Test
	void withoutTheStarterAFailedTemplateDeleteKeepsTheChildrenItDeleted() {
		Post post = this.posts.save(new Post("pinned", "first", "second"));
		this.jdbc.update("INSERT INTO pin (post_id) VALUES (?)", post.getId());

		assertThatThrownBy(() -> this.template.delete(post));

		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM comment", Integer.class)).isZero();
	}

	@Test
	void withoutTheStarterAFailedDerivedDeleteKeepsTheChildrenItDeleted() {
		Post post = this.posts.save(new Post("pinned", "first", "second"));
		this.jdbc.update("INSERT INTO pin (post_id) VALUES (?)", post.getId());

		assertThatThrownBy(() -> this.posts.deleteByTitle("pinned"));

		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM comment", Integer.class)).isZero();
	}

}
