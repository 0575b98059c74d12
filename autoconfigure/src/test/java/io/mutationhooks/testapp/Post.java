package io.mutationhooks.testapp;

import java.util.HashSet;
import java.util.Set;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/** An aggregate with children: deleting it takes one statement for the comments and one for the post. */
@Table("post")
public class Post {

	@Id
	private Long id;

	private String title;

	@MappedCollection(idColumn = "post_id")
	private Set<Comment> comments = new HashSet<>();

	public Post() {
	}

	public Post(String title, String... comments) {
		this.title = title;
		for (String text : comments) {
			this.comments.add(new Comment(text));
		}
	}

	public Long getId() {
		return this.id;
	}

	public void setId(Long id) {
		this.id = id;
	}

	public String getTitle() {
		return this.title;
	}

	public void setTitle(String title) {
		this.title = title;
	}

	public Set<Comment> getComments() {
		return this.comments;
	}

	public void setComments(Set<Comment> comments) {
		this.comments = comments;
	}

	/** A comment, part of the post aggregate. */
	@Table("comment")
	public record Comment(String text) {
	}

}
