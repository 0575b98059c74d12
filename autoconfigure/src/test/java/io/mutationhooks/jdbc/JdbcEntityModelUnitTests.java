package io.mutationhooks.jdbc;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.jdbc.core.convert.MappingJdbcConverter;
import org.springframework.data.jdbc.core.mapping.JdbcMappingContext;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a rollback puts back on the caller's instance: the id of a create and the version, as the caller passed them,
 * and nothing for an instance the write cannot change in place.
 */
class JdbcEntityModelUnitTests {

	private final JdbcMappingContext mappingContext = new JdbcMappingContext();

	private final MappingJdbcConverter converter = new MappingJdbcConverter(this.mappingContext,
			(identifier, path) -> List.of());

	@Test
	void rollbackOfACreatePutsBackTheMissingId() {
		Note note = new Note();
		Runnable restore = model(Note.class).identityRestorer(note, true);
		note.id = 42L;

		restore.run();

		assertThat(note.id).isNull();
	}

	@Test
	void rollbackOfACreatePutsBackAPrimitiveIdOfZero() {
		Counter counter = new Counter();
		Runnable restore = model(Counter.class).identityRestorer(counter, true);
		counter.id = 42;

		restore.run();

		assertThat(counter.id).isZero();
	}

	@Test
	void rollbackOfACreatePutsBackTheIdTheCallerChose() {
		Note note = new Note();
		note.id = 7L;
		Runnable restore = model(Note.class).identityRestorer(note, true);
		note.id = 42L;

		restore.run();

		assertThat(note.id).isEqualTo(7L);
	}

	@Test
	void rollbackOfAnUpdatePutsBackTheVersionAndKeepsTheId() {
		Versioned versioned = new Versioned();
		versioned.id = 7L;
		versioned.version = 3;
		Runnable restore = model(Versioned.class).identityRestorer(versioned, false);
		versioned.version = 4;

		restore.run();

		assertThat(versioned.version).isEqualTo(3);
		assertThat(versioned.id).isEqualTo(7L);
	}

	@Test
	void anUpdateWithoutVersionHasNothingToPutBack() {
		Note note = new Note();
		note.id = 7L;

		assertThat(model(Note.class).identityRestorer(note, false)).isNull();
	}

	@Test
	void aRecordHasNothingToPutBack() {
		assertThat(model(Card.class).identityRestorer(new Card(null, null, "ann"), true)).isNull();
	}

	@SuppressWarnings("unchecked")
	private <T> JdbcEntityModel<T> model(Class<T> type) {
		return new JdbcEntityModel<>(
				(RelationalPersistentEntity<T>) this.mappingContext.getRequiredPersistentEntity(type), this.converter);
	}

	static class Note {

		@Id
		Long id;

		String text;

	}

	static class Counter {

		@Id
		long id;

	}

	static class Versioned {

		@Id
		Long id;

		@Version
		Integer version;

	}

	record Card(@Id Long id, @Version Integer version, String owner) {
	}

}
