package io.mutationhooks.sample.users;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mutationhooks.EntityHook;
import io.mutationhooks.Hook;
import io.mutationhooks.Hooks;
import io.mutationhooks.MutationException;
import io.mutationhooks.Op;

/**
 * The sample's own business rule as a hook, beside the starter's S3 binding of {@link User#avatarUrl()}.
 */
@Configuration(proxyBeanMethods = false)
class UserHooks {

	/** Users are immutable after create: updates of one user or of many are refused, and nothing is written. */
	@Bean
	EntityHook usersAreImmutable() {
		Hook refuse = next -> mutation -> {
			throw new MutationException(mutation.type(), mutation.op(),
					"a user cannot be changed after it is created; delete it and create a new one");
		};
		return Hooks.forEntity(User.class, Hooks.on(refuse, Op.UPDATE_ONE, Op.UPDATE));
	}

}
