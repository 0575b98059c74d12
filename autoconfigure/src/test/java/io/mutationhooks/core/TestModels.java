package io.mutationhooks.core;

import java.util.List;
import java.util.Objects;

import io.mutationhooks.Op;
import io.mutationhooks.core.DefaultMutation.WriteContext;

/**
 * Entities and {@link EntityModel}s for unit tests of the core: a mutable class with a subtype, and a record that
 * {@link EntityModel#write} copies, as Spring Data does for immutable aggregates.
 */
public final class TestModels {

	/** The model of the mutable {@link Person}. */
	public static final PersonModel<Person> PERSON = new PersonModel<>(Person.class);

	/** The model of {@link Employee}, a subtype of {@link Person}. */
	public static final PersonModel<Employee> EMPLOYEE = new PersonModel<>(Employee.class);

	/** The model of the immutable {@link Book}. */
	public static final BookModel BOOK = new BookModel();

	/** The query method named by query mutations made here. */
	public static final String QUERY = "PersonRepository.renameAll(String)";

	private TestModels() {
	}

	/** A context whose old state comes from {@code oldState}, with no clients and no query. */
	public static <T> WriteContext<T> context(OldState<T> oldState) {
		return new WriteContext<>(oldState, new DeferredTransactionHooks(), type -> null, null);
	}

	/** A context without old state for a write by {@link #QUERY}. */
	public static <T> WriteContext<T> queryContext() {
		return new WriteContext<>(OldState.none(), new DeferredTransactionHooks(), type -> null, QUERY);
	}

	/**
	 * A mutation of {@link Person} with {@code op}: person 1 "ann" created or updated (stored as "anna"), person 1
	 * deleted, persons 1 and 2 deleted, or every person updated by {@link #QUERY}.
	 */
	public static DefaultMutation<Person> personMutation(Op op) {
		return switch (op) {
			case CREATE -> DefaultMutation.create(PERSON, new Person(null, "ann", "ann@example.com"),
					context(OldState.none()));
			case UPDATE_ONE -> DefaultMutation.updateOne(PERSON, new Person(1L, "ann", "ann@example.com"),
					context(CountingOldState.of(new Person(1L, "anna", "ann@example.com"))));
			case DELETE_ONE -> DefaultMutation.deleteOne(PERSON, 1L,
					context(CountingOldState.of(new Person(1L, "ann", "ann@example.com"))));
			case DELETE -> DefaultMutation.delete(PERSON, List.of(1L, 2L), context(CountingOldState.of(
					new Person(1L, "ann", "ann@example.com"), new Person(2L, "bob", "bob@example.com"))));
			case UPDATE -> DefaultMutation.query(Op.UPDATE, PERSON, queryContext());
		};
	}

	/** A create of a new {@link Book}. */
	public static DefaultMutation<Book> bookCreate() {
		return DefaultMutation.create(BOOK, new Book(null, "Dune", "Herbert"), context(OldState.none()));
	}

	/** A create of a new {@link Employee}. */
	public static DefaultMutation<Employee> employeeCreate() {
		return DefaultMutation.create(EMPLOYEE, new Employee(null, "eve", "eve@example.com"), context(OldState.none()));
	}

	/** A mutable entity with setters. */
	public static class Person {

		private Long id;

		private String name;

		private String email;

		public Person(Long id, String name, String email) {
			this.id = id;
			this.name = name;
			this.email = email;
		}

		public Long getId() {
			return this.id;
		}

		public void setId(Long id) {
			this.id = id;
		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public String getEmail() {
			return this.email;
		}

		public void setEmail(String email) {
			this.email = email;
		}

		@Override
		public String toString() {
			return getClass().getSimpleName() + "(" + this.id + ", " + this.name + ", " + this.email + ")";
		}

	}

	/** A subtype of {@link Person}, for hooks scoped to a supertype. */
	public static class Employee extends Person {

		public Employee(Long id, String name, String email) {
			super(id, name, email);
		}

	}

	/** An immutable entity: setting a field makes a copy. */
	public record Book(Long id, String title, String author) {
	}

	/** Reads and sets the fields of a {@link Person} (or subtype) in place. */
	public static final class PersonModel<P extends Person> implements EntityModel<P> {

		private static final List<String> FIELDS = List.of("id", "name", "email");

		private final Class<P> type;

		PersonModel(Class<P> type) {
			this.type = type;
		}

		@Override
		public Class<P> type() {
			return this.type;
		}

		@Override
		public List<String> fieldNames() {
			return FIELDS;
		}

		@Override
		public Object id(P entity) {
			return entity.getId();
		}

		@Override
		public Object read(P entity, String field) {
			return switch (field) {
				case "id" -> entity.getId();
				case "name" -> entity.getName();
				case "email" -> entity.getEmail();
				default -> throw new IllegalArgumentException("no field " + field);
			};
		}

		@Override
		public P write(P entity, String field, Object value) {
			switch (field) {
				case "id" -> entity.setId((Long) value);
				case "name" -> entity.setName((String) value);
				case "email" -> entity.setEmail((String) value);
				default -> throw new IllegalArgumentException("no field " + field);
			}
			return entity;
		}

	}

	/** Reads the components of a {@link Book} and sets them on a copy. */
	public static final class BookModel implements EntityModel<Book> {

		private static final List<String> FIELDS = List.of("id", "title", "author");

		@Override
		public Class<Book> type() {
			return Book.class;
		}

		@Override
		public List<String> fieldNames() {
			return FIELDS;
		}

		@Override
		public Object id(Book entity) {
			return entity.id();
		}

		@Override
		public Object read(Book entity, String field) {
			return switch (field) {
				case "id" -> entity.id();
				case "title" -> entity.title();
				case "author" -> entity.author();
				default -> throw new IllegalArgumentException("no field " + field);
			};
		}

		@Override
		public Book write(Book entity, String field, Object value) {
			return switch (field) {
				case "id" -> new Book((Long) value, entity.title(), entity.author());
				case "title" -> new Book(entity.id(), (String) value, entity.author());
				case "author" -> new Book(entity.id(), entity.title(), (String) value);
				default -> throw new IllegalArgumentException("no field " + field);
			};
		}

	}

	/** Old state that counts how often it is loaded. */
	public static final class CountingOldState<T> implements OldState<T> {

		private final List<T> rows;

		private int loads;

		private CountingOldState(List<T> rows) {
			this.rows = rows;
		}

		@SafeVarargs
		public static <T> CountingOldState<T> of(T... rows) {
			return new CountingOldState<>(List.of(rows));
		}

		@Override
		public List<T> load() {
			this.loads++;
			return this.rows;
		}

		/** How many times {@link #load()} ran. */
		public int loads() {
			return this.loads;
		}

		@Override
		public String toString() {
			return "CountingOldState" + Objects.toString(this.rows);
		}

	}

}
