package io.mutationhooks.s3.sweep;

import java.util.List;

/**
 * Told when a sweep of orphans or a look for dangling references ends, with its report (the starter's Micrometer
 * meters are one listener; declare a bean of this type to add your own). Called on the thread that ran it, after the
 * report is logged; what it throws is logged and ignored.
 */
public interface SweepListener {

	/** Listens to nothing. */
	SweepListener NONE = new SweepListener() {
	};

	/**
	 * A run of the {@link OrphanSweeper} ended, done or stopped by an error.
	 * @param report its report
	 */
	default void swept(SweepReport report) {
	}

	/**
	 * A look of {@link DanglingReferences} at one bucket ended.
	 * @param report its report
	 */
	default void reported(DanglingReport report) {
	}

	/**
	 * Every one of {@code listeners}, in order; {@link #NONE} if there is none.
	 * @param listeners the listeners
	 * @return one listener telling them all
	 */
	static SweepListener all(List<? extends SweepListener> listeners) {
		List<SweepListener> copy = List.copyOf(listeners);
		if (copy.isEmpty()) {
			return NONE;
		}
		if (copy.size() == 1) {
			return copy.get(0);
		}
		return new SweepListener() {

			@Override
			public void swept(SweepReport report) {
				copy.forEach(listener -> listener.swept(report));
			}

			@Override
			public void reported(DanglingReport report) {
				copy.forEach(listener -> listener.reported(report));
			}

		};
	}

}
