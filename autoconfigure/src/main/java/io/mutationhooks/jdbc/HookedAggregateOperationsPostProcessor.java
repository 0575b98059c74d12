package io.mutationhooks.jdbc;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.util.function.SingletonSupplier;

/**
 * Proxies every {@link JdbcAggregateOperations} bean that is not a {@link HookedJdbcAggregateTemplate} (a class
 * proxy, so injecting {@code JdbcAggregateTemplate} still works) so that its write methods run the hooks: the
 * template of an application's own {@code AbstractJdbcConfiguration}, which takes the place of the starter's.
 */
public class HookedAggregateOperationsPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	/** The write methods of {@link JdbcAggregateOperations}; everything else is a read. */
	static final Set<String> WRITE_METHODS = Set.of("save", "saveAll", "insert", "insertAll", "update", "updateAll",
			"upsert", "delete", "deleteById", "deleteAllById", "deleteAll");

	private static final List<String> READ_PREFIXES = List.of("find", "count", "exists", "stream", "get", "set",
			"is", "to", "hash", "equals");

	/**
	 * Whether {@code method} only reads (or configures the template); every other public method of
	 * {@link JdbcAggregateOperations} is taken for a write and must be one the hooks know.
	 */
	static boolean isRead(Method method) {
		if (method.getDeclaringClass() == Object.class) {
			return true;
		}
		for (String prefix : READ_PREFIXES) {
			if (method.getName().startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	public HookedAggregateOperationsPostProcessor() {
		setProxyTargetClass(true);
		setBeforeExistingAdvisors(true);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		AggregateWriteInterceptor interceptor = new AggregateWriteInterceptor(
				SingletonSupplier.of(() -> beanFactory.getBean(MutationRunner.class)));
		this.advisor = new DefaultPointcutAdvisor(new WriteMethodPointcut(), interceptor);
	}

	@Override
	protected boolean isEligible(Object bean, String beanName) {
		return !(bean instanceof HookedJdbcAggregateTemplate) && super.isEligible(bean, beanName);
	}

	/**
	 * Whether {@code operations} runs the hooks: the starter's template, or a template proxied by this
	 * post-processor.
	 * @param operations the template a repository uses, may be {@literal null}
	 */
	public static boolean isHooked(Object operations) {
		return operations instanceof HookedJdbcAggregateTemplate || operations instanceof Advised advised && Arrays.stream(advised.getAdvisors())
			.map(Advisor::getAdvice)
			.anyMatch(AggregateWriteInterceptor.class::isInstance);
	}

	private static final class WriteMethodPointcut extends StaticMethodMatcherPointcut {

		WriteMethodPointcut() {
			setClassFilter(JdbcAggregateOperations.class::isAssignableFrom);
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return !isRead(method) && Modifier.isPublic(method.getModifiers());
		}

	}

}
