package io.mutationhooks.testaggregates;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Embedded;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

import io.mutationhooks.s3.S3Reference;

/**
 * An aggregate whose references to the "avatars" bucket are all inside it: an embedded cover, photos in a set, pages
 * in a list (their scan declared a reference in configuration, mutation-hooks.s3.references), stickers in a map and
 * one credit. Spring Data JDBC reads and writes its fields directly: it has only the accessors the tests use.
 */
@Table("album")
public class Album {

	@Id
	private Long id;

	private String title;

	@Embedded.Nullable(prefix = "cover_")
	private Cover cover;

	@MappedCollection(idColumn = "album_id")
	private Set<Photo> photos = new HashSet<>();

	@MappedCollection(idColumn = "album_id", keyColumn = "page_index")
	private List<Page> pages = new ArrayList<>();

	@MappedCollection(idColumn = "album_id", keyColumn = "label")
	private Map<String, Sticker> stickers = new LinkedHashMap<>();

	@MappedCollection(idColumn = "album_id")
	private Credit credit;

	public Album() {
	}

	public Album(String title, String... photoKeys) {
		this.title = title;
		for (String key : photoKeys) {
			this.photos.add(new Photo(key));
		}
	}

	public Long getId() {
		return this.id;
	}

	public Set<Photo> getPhotos() {
		return this.photos;
	}

	public void setCover(Cover cover) {
		this.cover = cover;
	}

	public void setPages(List<Page> pages) {
		this.pages = pages;
	}

	public void setStickers(Map<String, Sticker> stickers) {
		this.stickers = stickers;
	}

	public void setCredit(Credit credit) {
		this.credit = credit;
	}

	/** The cover, stored in the album's own row. */
	public record Cover(@S3Reference(bucket = "avatars") String image, String caption) {
	}

	/** A photo of the album. */
	@Table("album_photo")
	public record Photo(@S3Reference(bucket = "avatars") String objectKey) {
	}

	/** A scanned page: {@code scan} is a reference declared in configuration, as for a class one cannot annotate. */
	@Table("album_page")
	public record Page(String scan) {
	}

	/** A sticker, by its label. */
	@Table("album_sticker")
	public record Sticker(@S3Reference(bucket = "avatars") String image) {
	}

	/** Who made the album, with a portrait. */
	@Table("album_credit")
	public record Credit(String name, @S3Reference(bucket = "avatars") String portrait) {
	}

}
