/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What the server sends, as the contract has it: a push answer and a page
 * of the feed with one change of each entity, each row referring to the
 * ones before it so that every upsert lands. The seeds of the fuzzers.
 * Invented people: no one's personal data.
 */

#define FUZZ_ANSWER \
  "{\"results\": [{\"op_id\": \"a\", \"status\": \"applied\", \"seq\": 1043}, " \
  "{\"op_id\": \"b\", \"status\": \"duplicate\", \"seq\": 17}, " \
  "{\"op_id\": \"c\", \"status\": \"rejected\", \"code\": \"snils_invalid\", " \
  "\"detail\": \"The SNILS checksum does not match.\", \"field\": \"children[0].snils\"}]}"

#define FUZZ_PROBLEM \
  "{\"type\": \"about:blank\", \"title\": \"Unprocessable\", \"status\": 422, " \
  "\"code\": \"bad_request\", \"detail\": \"operations must be a list\"}"

#define FUZZ_PAGE_EMPTY "{\"changes\": [], \"cursor\": \"1200.e1\", \"more\": false}"

#define FUZZ_PAGE \
  "{\"changes\": [" \
  "{\"seq\": 1, \"entity\": \"municipality\", \"id\": \"m1\", \"op\": \"upsert\", \"version\": 3, " \
  "\"data\": {\"id\": \"m1\", \"name\": \"город Тест\", \"oktmo\": \"07701000\", \"mode\": " \
  "\"personified\", \"period_start\": \"2026-09-01\", \"period_end\": \"2027-08-31\", " \
  "\"nominal_kopecks\": 2300000, \"pf_quota\": 960, \"pf_issued\": 12}}, " \
  "{\"seq\": 2, \"entity\": \"office\", \"id\": \"o1\", \"op\": \"upsert\", \"version\": 1, " \
  "\"data\": {\"id\": \"o1\", \"name\": \"МОЦ\", \"kind\": \"moc\", \"municipality_id\": \"m1\", " \
  "\"address\": \"ул. Ленина, 1\", \"phone\": \"+78652000000\", \"hours\": \"9-18\"}}, " \
  "{\"seq\": 3, \"entity\": \"provider\", \"id\": \"p1\", \"op\": \"upsert\", \"version\": 1, " \
  "\"data\": {\"id\": \"p1\", \"name\": \"ДДТ\", \"inn\": \"2634000000\", \"kind\": " \
  "\"municipal\", \"municipality_id\": \"m1\", \"address\": null, \"phone\": null}}, " \
  "{\"seq\": 4, \"entity\": \"program\", \"id\": \"g1\", \"op\": \"upsert\", \"version\": 2, " \
  "\"data\": {\"id\": \"g1\", \"provider_id\": \"p1\", \"municipality_id\": \"m1\", \"title\": " \
  "\"Робототехника\", \"direction\": \"technical\", \"age_min\": 7, \"age_max\": 12, " \
  "\"activity\": \"конструирование\", \"level\": \"start\", \"form\": \"in_person\", " \
  "\"funding\": \"certified\", \"disability_friendly\": true, \"description\": \"…\", " \
  "\"hours_total\": 72, \"months\": 9, \"hour_price_kopecks\": 15000, \"address\": null, " \
  "\"rating_avg\": 4.5, \"reviews_count\": 1, \"enrollment_open\": true, \"is_active\": true}}, " \
  "{\"seq\": 5, \"entity\": \"group\", \"id\": \"r1\", \"op\": \"upsert\", \"version\": 1, " \
  "\"data\": {\"id\": \"r1\", \"program_id\": \"g1\", \"name\": \"Группа 1\", \"teacher\": " \
  "\"Учитель\", \"schedule\": [{\"weekday\": 2, \"start\": \"16:00\", \"end\": \"17:30\"}], " \
  "\"capacity\": 12, \"enrolled\": 1, \"starts_on\": \"2026-09-01\", \"ends_on\": " \
  "\"2027-05-31\"}}, " \
  "{\"seq\": 6, \"entity\": \"review\", \"id\": \"v1\", \"op\": \"upsert\", \"version\": 1, " \
  "\"data\": {\"id\": \"v1\", \"program_id\": \"g1\", \"rating\": 5, \"text\": \"Хорошо\", " \
  "\"author\": \"Родитель\", \"created_at\": \"2026-10-01T10:00:00Z\"}}, " \
  "{\"seq\": 7, \"entity\": \"parent\", \"id\": \"a1\", \"op\": \"upsert\", \"version\": 1, " \
  "\"data\": {\"id\": \"a1\", \"last_name\": \"Образцова\", \"first_name\": \"Анна\", " \
  "\"middle_name\": null, \"phone\": \"+79180000001\", \"email\": null, \"municipality_id\": " \
  "\"m1\", \"created_at\": \"2026-09-02T09:00:00Z\"}}, " \
  "{\"seq\": 8, \"entity\": \"child\", \"id\": \"c1\", \"op\": \"upsert\", \"version\": 2, " \
  "\"data\": {\"id\": \"c1\", \"parent_id\": \"a1\", \"last_name\": \"Образцова\", " \
  "\"first_name\": \"Вера\", \"middle_name\": null, \"birth_date\": \"2016-04-12\", \"sex\": " \
  "\"f\", \"snils\": \"112-233-445 95\", \"document\": {\"type\": \"birth_certificate\", " \
  "\"series\": \"III-ДН\", \"number\": \"000001\"}, \"address\": null, \"municipality_id\": " \
  "\"m1\", \"verification\": {\"status\": \"verified\", \"decided_at\": " \
  "\"2026-09-03T09:00:00Z\", \"operator_id\": \"op1\", \"office_id\": \"o1\", \"reason\": " \
  "null}}}, " \
  "{\"seq\": 9, \"entity\": \"certificate\", \"id\": \"x1\", \"op\": \"upsert\", \"version\": 2, " \
  "\"data\": {\"id\": \"x1\", \"number\": \"2600000001\", \"child_id\": \"c1\", " \
  "\"municipality_id\": \"m1\", \"status\": \"personified\", \"issued_at\": " \
  "\"2026-09-03T09:05:00Z\", \"activated_at\": \"2026-09-03T09:06:00Z\", \"closed_at\": null, " \
  "\"close_reason\": null}}, " \
  "{\"seq\": 10, \"entity\": \"enrollment\", \"id\": \"e1\", \"op\": \"upsert\", \"version\": 1, " \
  "\"data\": {\"id\": \"e1\", \"child_id\": \"c1\", \"certificate_id\": \"x1\", \"program_id\": " \
  "\"g1\", \"group_id\": \"r1\", \"status\": \"active\", \"months\": 9, \"monthly_kopecks\": " \
  "120000, \"created_at\": \"2026-09-04T09:00:00Z\"}}, " \
  "{\"seq\": 11, \"entity\": \"ledger_entry\", \"id\": \"l1\", \"op\": \"upsert\", \"version\": " \
  "1, \"data\": {\"id\": \"l1\", \"certificate_id\": \"x1\", \"period\": \"2026/27\", \"kind\": " \
  "\"grant\", \"amount_kopecks\": 2300000, \"enrollment_id\": null, \"created_at\": " \
  "\"2026-09-03T09:06:00Z\"}}, " \
  "{\"seq\": 12, \"entity\": \"number_block\", \"id\": \"n1\", \"op\": \"upsert\", \"version\": " \
  "1, \"data\": {\"id\": \"n1\", \"device_id\": \"d1\", \"first\": \"2600000001\", \"last\": " \
  "\"2600000200\"}}, " \
  "{\"seq\": 13, \"entity\": \"review\", \"id\": \"v1\", \"op\": \"delete\", \"version\": 2}, " \
  "{\"seq\": 14, \"entity\": \"spaceship\", \"id\": \"s1\", \"op\": \"upsert\", \"version\": 1, " \
  "\"data\": {\"id\": \"s1\"}}" \
  "], \"cursor\": \"14.e1\", \"more\": true}"

#define FUZZ_OPERATIONS \
  "[{\"op_id\": \"a\", \"type\": \"child.verify\", \"at\": \"2026-09-03T09:00:00Z\", " \
  "\"payload\": {\"child_id\": \"c1\", \"decision\": \"verified\", \"reason\": null, " \
  "\"documents\": [\"birth_certificate\", \"snils\", \"parent_passport\"]}, \"operator_id\": " \
  "\"op1\"}, " \
  "{\"op_id\": \"b\", \"type\": \"certificate.issue\", \"at\": \"2026-09-03T09:05:00Z\", " \
  "\"payload\": {\"certificate_id\": \"x1\", \"child_id\": \"c1\", \"number\": " \
  "\"2600000001\"}, \"operator_id\": \"op1\"}, " \
  "{\"op_id\": \"c\", \"type\": \"certificate.activate\", \"at\": \"2026-09-03T09:06:00Z\", " \
  "\"payload\": {\"certificate_id\": \"x1\"}, \"operator_id\": null}]"
