package io.mutationhooks.jdbc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;
import org.springframework.data.relational.core.mapping.event.BeforeSaveEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import io.mutationhooks.Hook;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.Hooks;
import io.mutationhooks.testapp.Account;
import io.mutationhooks.testapp.AccountRepository;
import io.mutationhooks.testapp.User;
import io.mutationhooks.testapp.UserRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hook beans run global first, then entity-scoped, each group by {@code @Order} and then declaration order, nested
 * as Ent nests them; {@code use} adds hooks at runtime.
 */
@SpringBootTest(classes = HookOrderIntegrationTests.OrderedHooks.class)
@DirtiesContext
class HookOrderIntegrationTests {

	static final List<String> trace = new CopyOnWriteArrayList<>();

	@Autowired
	UserRepository users;

	@Autowired
	AccountRepository accounts;

	@Autowired
	HookRegistry registry;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	@AfterEach
	void clean() {
		TestDatabase.clean(this.jdbc);
		trace.clear();
	}

	@Test
	void globalHooksRunBeforeEntityHooksEachGroupByOrderThenDeclaration() {
		this.users.save(new User("ann", null));

		assertThat(trace).containsExactly("global order 1 >", "global declared first >", "global declared second >",
				"user order 1 >", "user declared >", "write", "< user declared", "< user order 1",
				"< global declared second", "< global declared first", "< global order 1");
	}

	@Test
	void entityHooksRunOnlyForTheirType() {
		this.accounts.save(Account.of("ann", "free"));

		assertThat(trace).containsExactly("global order 1 >", "global declared first >", "global declared second >",
				"write", "< global declared second", "< global declared first", "< global order 1");
	}

	@Test
	@DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
	void useAddsHooksAtRuntimeAfterThoseOfTheirGroup() {
		this.registry.use(Account.class, traced("account at runtime"));
		this.registry.use(traced("global at runtime"));

		this.accounts.save(Account.of("ann", "free"));

		assertThat(trace).containsExactly("global order 1 >", "global declared first >", "global declared second >",
				"global at runtime >", "account at runtime >", "write", "< account at runtime", "< global at runtime",
				"< global declared second", "< global declared first", "< global order 1");
	}

	static Hook traced(String name) {
		return next -> m -> {
			trace.add(name + " >");
			try {
				return next.mutate(m);
			}
			finally {
				trace.add("< " + name);
			}
		};
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableJdbcRepositories(basePackageClasses = User.class)
	@Import(Write.class)
	static class OrderedHooks {

		@Bean
		Hook userDeclared() {
			return Hooks.forEntity(User.class, traced("user declared"));
		}

		@Bean
		@Order(1)
		Hook userOrder1() {
			return Hooks.forEntity(User.class, traced("user order 1"));
		}

		@Bean
		Hook globalDeclaredFirst() {
			return traced("global declared first");
		}

		@Bean
		Hook globalDeclaredSecond() {
			return traced("global declared second");
		}

		@Bean
		@Order(1)
		Hook globalOrder1() {
			return traced("global order 1");
		}

	}

	/** Marks where the write happens: Spring Data publishes the event inside the template's write. */
	static class Write {

		@Bean
		ApplicationListener<BeforeSaveEvent<?>> write() {
			return event -> trace.add("write");
		}

	}

}
