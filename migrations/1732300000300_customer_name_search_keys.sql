-- Up Migration
-- Support types names without accents ("Helene" must find "Hélène"): each name is stored with its search
-- key (lower case, accents removed; src/console/searchKey.ts writes it with every name it records) and the
-- prefix search reads the keys. Existing rows get the same key from SQL here (the Latin letters names use);
-- the service rewrites a key that differs the next time that customer's name is recorded.
ALTER TABLE customer_names ADD COLUMN search_name text, ADD COLUMN search_family text;
UPDATE customer_names SET
  search_name = btrim(regexp_replace(lower(translate(replace(replace(replace(replace(name, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
    'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſ',
    'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzs')), '\s+', ' ', 'g')),
  search_family = btrim(regexp_replace(lower(translate(replace(replace(replace(replace(family_name, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
    'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſ',
    'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzs')), '\s+', ' ', 'g'));
ALTER TABLE customer_names ALTER COLUMN search_name SET NOT NULL;
DROP INDEX customer_names_name;
DROP INDEX customer_names_family;
CREATE INDEX customer_names_search_name ON customer_names (search_name text_pattern_ops);
CREATE INDEX customer_names_search_family ON customer_names (search_family text_pattern_ops) WHERE search_family IS NOT NULL;

-- Down Migration
DROP INDEX customer_names_search_family;
DROP INDEX customer_names_search_name;
CREATE INDEX customer_names_name ON customer_names (lower(name) text_pattern_ops);
CREATE INDEX customer_names_family ON customer_names (lower(family_name) text_pattern_ops) WHERE family_name IS NOT NULL;
ALTER TABLE customer_names DROP COLUMN search_family, DROP COLUMN search_name;
