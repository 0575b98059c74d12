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

	/** The id property, when a write can set it on a mutable instance. */
	private final RelationalPersistentProperty settableId;

	/** The version property, when a write can set it on a mutable instance. */
	private final RelationalPersistentProperty settableVersion;

	JdbcEntityModel(RelationalPersistentEntity<T> entity, RelationalConverter converter) {
		this.entity = entity;
		this.type = entity.getType();
		this.converter = converter;
		Map<String, RelationalPersistentProperty> properties = new LinkedHashMap<>();
		entity.doWithAll(property -> properties.put(property.getName(), property));
		this.properties = properties;
		this.fieldNames = Collections.unmodifiableList(new ArrayList<>(properties.keySet()));
		this.settableId = settableInPlace(entity.getIdProperty());
		this.settableVersion = settableInPlace(entity.getVersionProperty());
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

	/**
	 * The id of the row {@code instance} names, or {@literal null} if it names none yet: no id, or the 0 of a
	 * primitive id, which the database generates.
	 */
	Object rowId(T instance) {
		Object id = id(instance);
		RelationalPersistentProperty idProperty = this.entity.getIdProperty();
		boolean generated = id instanceof Number number && number.longValue() == 0 && idProperty != null
				&& idProperty.getType().isPrimitive();
		return generated ? null : id;
	}

	/** Whether Spring Data would insert {@code instance} rather than update it. */
	boolean isNew(T instance) {
		return this.entity.isNew(instance);
	}

	/** Whether the type has an id property: Spring Data's {@code save} refuses types that have none. */
	boolean hasIdProperty() {
		return this.entity.hasIdProperty();
	}

	/**
	 * Remembers the id (of a create) and the version of a mutable {@code instance} as the caller passed it, so that a
	 * rollback can put them back: Spring Data sets them on the instance during the write, and a retried save would
	 * otherwise update a row that is not there.
	 * @param create whether the write inserts: only an insert gives the instance an id
	 * @return the action that puts them back, or {@literal null} when the write cannot change them
	 */
	Runnable identityRestorer(T instance, boolean create) {
		RelationalPersistentProperty id = create ? this.settableId : null;
		RelationalPersistentProperty version = this.settableVersion;
		if (id == null && version == null) {
			return null;
		}
		PersistentPropertyAccessor<T> accessor = this.entity.getPropertyAccessor(instance);
		Object idValue = id != null ? accessor.getProperty(id) : null;
		Object versionValue = version != null ? accessor.getProperty(version) : null;
		return () -> {
			if (id != null) {
				accessor.setProperty(id, idValue);
			}
			if (version != null) {
				accessor.setProperty(version, versionValue);
			}
		};
	}

	/** {@code property} if the write can set it on the instance itself (not on a copy), else {@literal null}. */
	private static RelationalPersistentProperty settableInPlace(RelationalPersistentProperty property) {
		boolean settable = property != null
				&& (property.getSetter() != null || property.getField() != null && !property.isImmutable());
		return settable ? property : null;
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
