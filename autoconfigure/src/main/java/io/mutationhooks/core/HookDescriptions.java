package io.mutationhooks.core;

/**
 * Short descriptions of hooks and conditions for listings and messages: what a hook's own {@code toString} says
 * when it has one (the helpers of {@code Hooks} do: {@code on(CREATE, UserHooks lambda)}), otherwise its class,
 * without the address a lambda's default {@code toString} carries.
 */
public final class HookDescriptions {

	private HookDescriptions() {
	}

	/**
	 * Describes {@code value}, a hook or a condition.
	 * @param value the hook or condition, may be {@literal null}
	 * @return its {@code toString} if its class declares one, otherwise its class's simple name, for a lambda the
	 * simple name of the class that declared it followed by {@code lambda}
	 */
	public static String describe(Object value) {
		if (value == null) {
			return "null";
		}
		Class<?> type = value.getClass();
		if (declaresToString(type)) {
			return value.toString();
		}
		String name = type.getName();
		int lambda = name.indexOf("$$Lambda");
		if (lambda >= 0) {
			String declaring = name.substring(0, lambda);
			return declaring.substring(declaring.lastIndexOf('.') + 1) + " lambda";
		}
		return type.isAnonymousClass() ? name.substring(name.lastIndexOf('.') + 1) : type.getSimpleName();
	}

	private static boolean declaresToString(Class<?> type) {
		try {
			return type.getMethod("toString").getDeclaringClass() != Object.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

}
