package io.mutationhooks.quickstart;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mutationhooks.Hook;
import io.mutationhooks.Hooks;
import io.mutationhooks.Op;

@Configuration(proxyBeanMethods = false)
class CustomerHooks {

	private static final Logger log = LoggerFactory.getLogger(CustomerHooks.class);

	@Bean
	Hook requireName() {
		return Hooks.forEntity(Customer.class, (m, next) -> {
			if (m.op() == Op.CREATE && m.entity().name() == null) {
				throw new IllegalArgumentException("a customer needs a name");
			}
			return next.mutate(m);
		});
	}

	@Bean
	Hook logDeletes() {
		return Hooks.on(next -> m -> {
			// A @Modifying @Query cannot tell its rows in advance; deleteBy... reads them, deleteAll() a page at a time.
			log.info("deleting {} {}", m.type().getSimpleName(), m.rowsKnown() ? m.ids() : m.query().orElseThrow());
			return next.mutate(m);
		}, Op.DELETE_ONE, Op.DELETE);
	}

}
