-- Written by hand (drizzle-kit does not manage functions): the immutable
-- functions behind the search-key columns below. src/domain/search-keys.ts
-- computes the same encodings for queries; test/discovery/search-keys.test.ts
-- checks that both agree.
--
-- Every prefix of a path that ends where a separator starts, and the path
-- itself: 'apparel/cut-and-sew/knit' gives {apparel, apparel/cut-and-sew,
-- apparel/cut-and-sew/knit}. `prefixes @> {p}` is then exactly
-- `path = p OR path LIKE p || separator || '%'`.
CREATE FUNCTION weft_path_prefixes(path text, separator text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT array_append(array_agg(left(path, i - 1) ORDER BY i), path)
    FROM generate_series(1, length(path)) AS i
   WHERE substr(path, i, 1) = separator
$$;--> statement-breakpoint
-- The cell holding a position in each of five grids of 1/16, 1/4, 1, 4 and
-- 16 degree squares, as level * 2^24 + row * columns + column. Positions are
-- clamped to the globe so that no value overflows.
CREATE FUNCTION weft_grid_cells(latitude double precision, longitude double precision) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT array_agg(level * 16777216
           + floor((least(greatest(latitude, -90), 90) + 90) / size)::integer * (floor(360 / size)::integer + 1)
           + floor((least(greatest(longitude, -180), 180) + 180) / size)::integer ORDER BY level)
    FROM (VALUES (0, 0.0625::double precision), (1, 0.25), (2, 1), (3, 4), (4, 16)) AS grids(level, size)
$$;--> statement-breakpoint
-- The four-week periods (counted in whole UTC days from Monday 1970-01-05)
-- an availability window touches. A window without one of its ends, ending
-- before it starts or longer than 13 periods (a year) gets the single
-- element -2147483648, "any time".
CREATE FUNCTION weft_available_periods(available_from timestamptz, available_until timestamptz) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE
           WHEN first_period IS NULL OR last_period IS NULL OR last_period < first_period
                OR last_period - first_period > 13
             THEN ARRAY[(-2147483648)::integer]
           ELSE ARRAY(SELECT generate_series(first_period, last_period))
         END
    FROM (SELECT CASE WHEN isfinite(available_from)
                   THEN ((available_from AT TIME ZONE 'UTC')::date - DATE '1970-01-05') / 28 END AS first_period,
                 CASE WHEN isfinite(available_until)
                   THEN ((available_until AT TIME ZONE 'UTC')::date - DATE '1970-01-05') / 28 END AS last_period) AS periods
$$;--> statement-breakpoint
DROP INDEX "listings_search_idx";--> statement-breakpoint
DROP INDEX "listings_category_point_idx";--> statement-breakpoint
DROP INDEX "listings_region_idx";--> statement-breakpoint
DROP INDEX "listings_point_idx";--> statement-breakpoint
-- One ALTER TABLE for the four columns: PostgreSQL rewrites the table once, not four times.
ALTER TABLE "listings"
  ADD COLUMN "category_prefixes" text[] GENERATED ALWAYS AS (weft_path_prefixes(category, '/')) STORED,
  ADD COLUMN "region_prefixes" text[] GENERATED ALWAYS AS (weft_path_prefixes(region, '-')) STORED,
  ADD COLUMN "position_cells" integer[] GENERATED ALWAYS AS (weft_grid_cells(latitude, longitude)) STORED,
  ADD COLUMN "available_periods" integer[] GENERATED ALWAYS AS (weft_available_periods(available_from, available_until)) STORED;--> statement-breakpoint
CREATE INDEX "listings_search_filters_idx" ON "listings" USING gin ("search","category_prefixes","region_prefixes","available_periods","position_cells") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "listings_category_idx" ON "listings" USING btree ("category" text_pattern_ops);