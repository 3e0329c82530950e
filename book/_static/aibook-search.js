/*
 * The book's search ranking (shipped into language_data.js by Sphinx's html_search_scorer; see
 * book/_ext/aibook_search.py for the index it reads: Search._index.aibook).
 *
 * A query is cut into units: runs of Han characters (phrases) and Latin/number tokens. A page matches when it
 * holds every unit (and none of the words written with a leading “-”); a Han phrase is held when every one of
 * its character bigrams is on the page, and the page's phrase count is the smallest count among those bigrams.
 * Score of a page:
 *   title part: for each unit contained in the page title, a section title or a lead-in (the bold words a
 *               paragraph opens with), TITLE × (0.5 + 0.5 × unit length ÷ title length), the best title counts;
 *   text part:  BM25 of the phrase counts (k1 = 1.2, b = 0.75), each unit weighted by its idf.
 * Pages that have the words of the query (Sphinx's, cut by jieba) but not the phrase are listed after all those
 * with the phrase (scattered characters rank below the exact phrase).
 * A page found through a section title links to that section; the result names the section or lead-in.
 * A query with no such unit (one Han character) falls back to Sphinx's own search. The summary under each result
 * starts where the page has the query's phrase.
 */

const AibookSearch = (() => {
  const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  const TOKEN = /[0-9a-z\u00c0-\u024f]+/g;
  const TITLE = 20, K1 = 1.2, B = 0.75, SCATTERED = -1;
  // the numbering of a heading or lead-in: “（三）”, “1、”, “4. ”, “(2)”, “一、”
  const NUMBERING = /^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+\s*[、.．])\s*/u;

  /** The units of a query: Han runs (two characters or more) and Latin/number tokens. */
  const units = (query) => {
    const q = query.toLowerCase();
    const han = (q.match(HAN_RUN) || []).filter((run) => run.length >= 2);
    const rest = q.replace(HAN_RUN, " ").match(TOKEN) || [];
    return [...new Set([...han.map((text) => ({ text, han: true })), ...rest.map((text) => ({ text, han: false }))]
      .map((u) => JSON.stringify(u)))].map((s) => JSON.parse(s));
  };

  /** The units a page must hold, and those it must not (words written with a leading “-”, as in Sphinx). */
  const parse = (query) => {
    const words = query.trim().split(/\s+/);
    const minus = (w) => w.length > 1 && w.startsWith("-");
    return [units(words.filter((w) => !minus(w)).join(" ")), units(words.filter(minus).map((w) => w.slice(1)).join(" "))];
  };

  const postings = (table, key) => {
    const out = new Map();
    const list = table[key] || [];
    for (let i = 0; i < list.length; i += 2) out.set(list[i], list[i + 1]);
    return out;
  };

  /** doc → phrase count of one unit (0 or missing: the page does not hold it). */
  const unitCounts = (data, unit) => {
    if (!unit.han) return postings(data.words, unit.text);
    let counts = null;
    const chars = Array.from(unit.text);
    for (let i = 0; i + 1 < chars.length; i++) {
      const gram = postings(data.grams, chars[i] + chars[i + 1]);
      if (counts === null) counts = gram;
      else for (const [doc, n] of counts) {
        if (gram.has(doc)) counts.set(doc, Math.min(n, gram.get(doc)));
        else counts.delete(doc);
      }
      if (!counts.size) break;
    }
    return counts || new Map();
  };

  const bare = (title) => title.replace(NUMBERING, "").toLowerCase();

  /** The best title of each page that contains a unit: doc → {score, title, anchor}. */
  const titleMatches = (index, unitList) => {
    const best = new Map();
    const consider = (doc, title, anchor) => {
      const name = bare(title);
      let score = 0;
      const words = name.match(TOKEN) || [];
      for (const u of unitList) {  // a Han phrase anywhere in the title (徐汇 in 徐汇区…); a Latin word as a word
        if (u.han ? name.includes(u.text) : words.includes(u.text)) {
          score += TITLE * (0.5 + 0.5 * u.text.length / Math.max(name.length, 1));
        }
      }
      if (score > 0 && (!best.has(doc) || best.get(doc).score < score)) best.set(doc, { score, title, anchor });
    };
    for (const [title, found] of Object.entries(index.alltitles)) {
      for (const [doc, id] of found) consider(doc, title, id === null ? "" : "#" + id);
    }
    for (const [doc, lead] of index.aibook.leads) consider(doc, lead, "");
    return best;
  };

  /** Results in Sphinx's form [docname, title, anchor, descr, score, filename], lowest score first. */
  const rank = (index, query, words = []) => {
    const data = index.aibook;
    const [unitList, excluded] = parse(query);
    if (!data || !unitList.length) return null;
    const barred = excluded.map((u) => unitCounts(data, u));
    // Sphinx's words of the query (jieba's, by longest match): a page that has them all, but not the phrase
    const has = (table, word, doc) => [].concat(table[word] ?? []).includes(doc);
    const scattered = (doc) => words.length > 0 && words.every((w) => has(index.terms, w, doc) || has(index.titleterms, w, doc));
    const n = index.docnames.length;
    const avg = data.lengths.reduce((a, b) => a + b, 0) / Math.max(n, 1);
    const perUnit = unitList.map((u) => unitCounts(data, u));
    const titles = titleMatches(index, unitList);
    const results = [];
    for (let doc = 0; doc < n; doc++) {
      if (barred.some((counts) => counts.has(doc))) continue;
      let text = 0, holds = true;
      perUnit.forEach((counts) => {
        const tf = counts.get(doc) || 0;
        if (!tf) { holds = false; return; }
        const idf = Math.log(1 + (n - counts.size + 0.5) / (counts.size + 0.5));
        text += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * data.lengths[doc] / avg));
      });
      if (!holds) {  // listed below every page with the phrase (a title is on its page: it is held)
        if (scattered(doc)) {
          results.push([index.docnames[doc], index.titles[doc], "", null, SCATTERED, index.filenames[doc]]);
        }
        continue;
      }
      const title = titles.get(doc);
      const pageTitle = index.titles[doc];
      const label = title && title.title !== pageTitle ? `${pageTitle} > ${title.title}` : pageTitle;
      const score = (title ? title.score : 0) + text;
      results.push([index.docnames[doc], label, title ? title.anchor : "", null,
                    Math.round(score * 1000) / 1000, index.filenames[doc]]);
    }
    // lowest first (Sphinx shows the list from its end); equal scores in the order of the pages' titles
    results.sort((a, b) => (a[4] - b[4]) || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
    return results;
  };

  return { units, parse, unitCounts, rank };
})();

if (typeof Search !== "undefined") {
  let phrases = [];
  const sphinxPerformSearch = Search._performSearch;
  Search._performSearch = (query, searchTerms, excludedTerms, highlightTerms, objectTerms) => {
    // Sphinx's splitter also cuts “-发电” to 发电 and requires it: the words of the excluded parts are dropped
    const minus = query.trim().split(/\s+/).filter((w) => w.length > 1 && w.startsWith("-")).join(" ");
    const dropped = new Set(minus ? splitQuery(minus.toLowerCase()) : []);
    const words = [...searchTerms].filter((w) => !dropped.has(w));
    const ranked = Search._index.aibook ? AibookSearch.rank(Search._index, query, words) : null;
    if (ranked === null) return sphinxPerformSearch(query, searchTerms, excludedTerms, highlightTerms, objectTerms);
    phrases = AibookSearch.parse(query)[0].map((u) => u.text);
    return ranked;
  };
  // the summary under each result starts where the page has the query's phrase, not one of its words (Sphinx
  // starts at the last keyword of the list it finds on the page)
  const sphinxSummary = Search.makeSearchSummary;
  Search.makeSearchSummary = (htmlText, keywords, anchor) => sphinxSummary(htmlText, [...keywords, ...phrases], anchor);
}
