package io.mutationhooks.jdbc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.mapping.PersistentPropertyAccessor;
import org.springframework.data.relational.core.conversion.RelationalConverter;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;

import io.mutationhooks.core.EntityModel;

/**
 * An {@link EntityModel} on Spring Data's mapping metadata: property names, reads, and writes through the
 * converter's property accessor, which copies immutable entities and records.
 *
 * @param <T> the entity type
 */
final class JdbcEntityModel<T> implements EntityModel<T> {

	private final RelationalPersistentEntity<T> entity;

	private final Class<T> type;

	private final RelationalConverter converter;

	private final Map<String, RelationalPersistentProperty> properties;

	private final List<String> fieldNames;

	JdbcEntityModel(RelationalPersistentEntity<T> entity, RelationalConverter converter) {
		this.entity = entity;
		this.type = entity.getType();
		this.converter = converter;
		Map<String, RelationalPersistentProperty> properties = new LinkedHashMap<>();
		entity.doWithAll(property -> properties.put(property.getName(), property));
		this.properties = properties;
		this.fieldNames = Collections.unmodifiableList(new ArrayList<>(properties.keySet()));
	}

	@Override
	public Class<T> type() {
		return this.type;
	}

	@Override
	public List<String> fieldNames() {
		return this.fieldNames;
	}

	@Override
	public Object id(T instance) {
		return this.entity.getIdentifierAccessor(instance).getIdentifier();
	}

	@Override
	public Object read(T instance, String field) {
		return this.entity.getPropertyAccessor(instance).getProperty(property(field));
	}

	@Override
	public T write(T instance, String field, Object value) {
		PersistentPropertyAccessor<T> accessor = this.converter.getPropertyAccessor(this.entity, instance);
		accessor.setProperty(property(field), value);
		return accessor.getBean();
	}

	/** Whether Spring Data would insert {@code instance} rather than update it. */
	boolean isNew(T instance) {
		return this.entity.isNew(instance);
	}

	/**
	 * Remembers the id (when not yet set) and version of a mutable {@code instance}, so that a rollback can put them
	 * back: Spring Data sets them on the instance during the write, and a retried save would otherwise update a row
	 * that is not there.
	 * @return the action that puts them back, or {@literal null} when the write cannot change them
	 */
	Runnable identityRestorer(T instance) {
		if (!this.entity.hasVersionProperty() && (!this.entity.hasIdProperty() || id(instance) != null)) {
			return null;
		}
		PersistentPropertyAccessor<T> accessor = this.entity.getPropertyAccessor(instance);
		List<RelationalPersistentProperty> identity = new ArrayList<>(2);
		if (this.entity.hasIdProperty() && accessor.getProperty(this.entity.getRequiredIdProperty()) == null) {
			identity.add(this.entity.getRequiredIdProperty());
		}
		if (this.entity.hasVersionProperty()) {
			identity.add(this.entity.getRequiredVersionProperty());
		}
		if (identity.isEmpty()) {
			return null;
		}
		Object[] values = new Object[identity.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = accessor.getProperty(identity.get(i));
		}
		return () -> {
			for (int i = 0; i < values.length; i++) {
				RelationalPersistentProperty property = identity.get(i);
				if (property.getSetter() != null || property.getField() != null && !property.isImmutable()) {
					accessor.setProperty(property, values[i]);
				}
			}
		};
	}

	private RelationalPersistentProperty property(String field) {
		RelationalPersistentProperty property = this.properties.get(field);
		if (property == null) {
			throw new IllegalArgumentException(
					type().getSimpleName() + " has no field '" + field + "'; its fields are " + this.fieldNames);
		}
		return property;
	}

}
