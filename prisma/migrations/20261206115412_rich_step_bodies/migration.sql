-- Step bodies become the rich-text editor's document (TipTap JSON, see
-- lib/email/body-doc.ts and docs/authoring.md). A plain-text body is
-- converted as plainTextToDoc does: blank lines separate paragraphs, a
-- single newline is a hard break; merge tags and bare URLs stay text (the
-- renderer reads `{{...}}` in any text as a tag and links bare URLs), so the
-- message reads as before. The function stays: tests/integration/
-- rich-body-migration.test.ts checks it against plainTextToDoc.
CREATE OR REPLACE FUNCTION "stepwise_plain_body_doc"(body text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  paragraphs jsonb := '[]'::jsonb;
  para text;
  lines text[];
  content jsonb;
  i int;
BEGIN
  -- Already a document: left as it is.
  IF ltrim(body) LIKE '{%' THEN
    BEGIN
      IF jsonb_typeof(body::jsonb) = 'object' AND (body::jsonb) ->> 'type' = 'doc' THEN
        RETURN body;
      END IF;
    EXCEPTION WHEN others THEN
      NULL; -- not JSON: plain text
    END;
  END IF;
  FOREACH para IN ARRAY regexp_split_to_array(replace(replace(body, E'\r\n', E'\n'), E'\r', E'\n'), E'\n{2,}') LOOP
    content := '[]'::jsonb;
    lines := string_to_array(para, E'\n');
    FOR i IN 1 .. coalesce(array_length(lines, 1), 0) LOOP
      IF i > 1 THEN
        content := content || jsonb_build_array(jsonb_build_object('type', 'hardBreak'));
      END IF;
      IF lines[i] <> '' THEN
        content := content || jsonb_build_array(jsonb_build_object('type', 'text', 'text', lines[i]));
      END IF;
    END LOOP;
    IF jsonb_array_length(content) > 0 THEN
      paragraphs := paragraphs || jsonb_build_array(jsonb_build_object('type', 'paragraph', 'content', content));
    ELSE
      paragraphs := paragraphs || jsonb_build_array(jsonb_build_object('type', 'paragraph'));
    END IF;
  END LOOP;
  RETURN jsonb_build_object('type', 'doc', 'content', paragraphs)::text;
END
$$;

UPDATE "SequenceStep" SET "body" = "stepwise_plain_body_doc"("body")
WHERE "body" IS DISTINCT FROM "stepwise_plain_body_doc"("body");

-- Unpublished drafts hold whole steps, bodies included (lib/sequences/versions/draft.ts).
-- Published versions (SequenceVersion.steps) hold no bodies.
UPDATE "Sequence" s SET "draft" = jsonb_set(s."draft", '{steps}', (
  SELECT jsonb_agg(
    CASE WHEN jsonb_typeof(step -> 'body') = 'string'
      THEN jsonb_set(step, '{body}', to_jsonb("stepwise_plain_body_doc"(step ->> 'body')))
      ELSE step END
    ORDER BY n)
  FROM jsonb_array_elements(s."draft" -> 'steps') WITH ORDINALITY AS t(step, n)
))
WHERE jsonb_typeof(s."draft" -> 'steps') = 'array' AND jsonb_array_length(s."draft" -> 'steps') > 0;
