-- The author's own words are kept once, in messages.new_text: the top message of
-- messages.quotes no longer repeats them (the store puts them back when it reads).
UPDATE messages
   SET quotes = json_set(quotes, '$[0].text', '')
 WHERE quotes IS NOT NULL
   AND json_valid(quotes)
   AND json_type(quotes, '$[0].text') = 'text';
