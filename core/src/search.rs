//! Search across the exhibit's areas, places (buildings), projects and stories, in all three
//! languages at once.
//!
//! Every text is *folded* before it is compared: lower-cased, full-width Latin letters and
//! digits made plain, punctuation turned into spaces, and traditional characters turned into
//! simplified ones — so `南昌大樓` finds 南昌大楼, `NANCHANG` finds "Nanchang Building" and
//! `《新青年》` finds the place whose name has no brackets.
//!
//! The traditional → simplified mapping has two parts, and no dependency:
//! - a static table of the pairs used in the exhibit's seed articles and data (about 500
//!   characters, the vocabulary of Shanghai's neighbourhoods), and
//! - pairs learnt from the exhibit itself: wherever a text's `zh-Hant` version has the same
//!   length as its `zh-Hans` one, characters that differ position by position are a pair — as
//!   long as the traditional one never appears in any simplified text (so a reworded sentence
//!   cannot teach a false pair). A curator who adds a `zh-Hant` name therefore makes it
//!   searchable without touching code.
//!
//! Ranking: a name equal to the query first, then names starting with it, then names with a
//! word starting with it, then names containing it, then matches in summaries and story text.
//! Ties go to places and areas before stories and projects, then to the shorter name.
//!
//! ```
//! use lilong_core::model::{Exhibit, Lang};
//! use lilong_core::search::SearchIndex;
//! let index = SearchIndex::new(&Exhibit::default());
//! assert!(index.search("南昌", Lang::ZhHans, 10).is_empty());
//! ```

use std::collections::{HashMap, HashSet};

use crate::model::{Exhibit, Lang, Localized};
use crate::route::Page;

/// What kind of record a result is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Place,
    Area,
    Story,
    Project,
}

impl Kind {
    /// The interface-string key naming this kind (`search.kind.place`, …).
    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Place => "search.kind.place",
            Kind::Area => "search.kind.area",
            Kind::Story => "search.kind.story",
            Kind::Project => "search.kind.project",
        }
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    /// The record's id (for a project, the project's own id).
    pub id: String,
    /// The view that opens it: the area, the place or the story (a project opens its area).
    pub page: Page,
    /// Its name or title in the asked language (with the usual fallback).
    pub title: String,
    /// Where it is: the area's name for a place or a project, the subdistrict's for an area.
    pub context: Option<String>,
    /// Higher is better; results come sorted by it.
    pub score: u32,
}

/// How well a record matched; the field ranks before the kind and the name's length.
const EXACT: u32 = 100;
const PREFIX: u32 = 90;
const WORD_PREFIX: u32 = 80;
const IN_NAME: u32 = 70;
const TERMS_IN_NAME: u32 = 60;
const IN_TEXT: u32 = 40;
const TERMS_IN_TEXT: u32 = 30;

struct Entry {
    kind: Kind,
    id: String,
    page: Page,
    title: Localized,
    /// `(record kind, id)` of the record whose name is the context.
    context: Option<Localized>,
    /// Folded names in every language, deduplicated.
    names: Vec<String>,
    /// Folded summaries, facts, milestones, chapters.
    texts: Vec<String>,
    /// Length in characters of the shortest name (ties go to the shorter).
    name_len: usize,
}

/// Folds text for comparison; see the module documentation.
#[derive(Clone, Debug, Default)]
pub struct Folder {
    to_simplified: HashMap<char, char>,
}

impl Folder {
    /// The static table alone.
    pub fn new() -> Folder {
        let mut to_simplified = HashMap::new();
        for (t, s) in TRADITIONAL.iter().zip(SIMPLIFIED.iter()) {
            for (a, b) in t.chars().zip(s.chars()) {
                to_simplified.insert(a, b);
            }
        }
        Folder { to_simplified }
    }

    /// The static table plus the pairs learnt from the exhibit's aligned texts.
    pub fn for_exhibit(e: &Exhibit) -> Folder {
        let mut folder = Folder::new();
        let texts = localized_texts(e);
        let simplified: HashSet<char> = texts.iter().flat_map(|l| l.zh_hans.chars()).collect();
        for l in &texts {
            let Some(hant) = l.zh_hant.as_deref() else {
                continue;
            };
            if hant.chars().count() != l.zh_hans.chars().count() {
                continue;
            }
            for (t, s) in hant.chars().zip(l.zh_hans.chars()) {
                if t != s && is_han(t) && is_han(s) && !simplified.contains(&t) {
                    folder.to_simplified.entry(t).or_insert(s);
                }
            }
        }
        folder
    }

    /// How many traditional characters this folder maps.
    pub fn len(&self) -> usize {
        self.to_simplified.len()
    }

    pub fn is_empty(&self) -> bool {
        self.to_simplified.is_empty()
    }

    /// Lower-case, plain-width, simplified, punctuation as single spaces, trimmed.
    pub fn fold(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut space = true;
        for c in s.chars() {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3000}' => ' ',
                _ => c,
            };
            if c.is_alphanumeric() {
                let c = self.to_simplified.get(&c).copied().unwrap_or(c);
                out.extend(c.to_lowercase());
                space = false;
            } else if !space {
                out.push(' ');
                space = true;
            }
        }
        if out.ends_with(' ') {
            out.pop();
        }
        out
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Every localized text of the exhibit's records (for learning character pairs).
fn localized_texts(e: &Exhibit) -> Vec<&Localized> {
    let mut out: Vec<&Localized> = Vec::new();
    out.push(&e.settings.title);
    out.push(&e.settings.intro);
    out.extend(e.settings.themes.iter().map(|t| &t.name));
    out.extend(e.districts.iter().map(|d| &d.name));
    for s in &e.subdistricts {
        out.push(&s.name);
        out.extend(s.summary.as_ref());
    }
    for a in &e.areas {
        out.push(&a.name);
        out.extend(a.summary.as_ref());
        out.extend(a.boundary_note.as_ref());
    }
    for p in &e.places {
        out.push(&p.name);
        out.push(&p.summary);
        out.extend(p.facts.iter().map(|f| &f.text));
    }
    for p in &e.projects {
        out.push(&p.title);
        out.push(&p.summary);
        out.extend(p.milestones.iter().map(|m| &m.text));
    }
    for s in &e.stories {
        out.push(&s.title);
        out.extend(s.summary.as_ref());
        for c in &s.chapters {
            out.push(&c.heading);
            out.extend(c.paragraphs.iter());
        }
    }
    out
}

/// The search index over one exhibit. Build it once after loading; searching is a scan over a
/// few hundred folded strings (thousands for a city-scale data set), fast enough per keystroke.
pub struct SearchIndex {
    folder: Folder,
    entries: Vec<Entry>,
}

impl SearchIndex {
    pub fn new(e: &Exhibit) -> SearchIndex {
        let folder = Folder::for_exhibit(e);
        let mut entries = Vec::new();
        let fold_all = |l: &Localized| -> Vec<String> {
            let mut v: Vec<String> = Lang::ALL
                .iter()
                .filter(|&&lang| l.has(lang))
                .map(|&lang| folder.fold(l.get(lang)))
                .filter(|s| !s.is_empty())
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let name_len =
            |names: &[String]| names.iter().map(|n| n.chars().count()).min().unwrap_or(0);
        for a in &e.areas {
            let names = fold_all(&a.name);
            let mut texts = Vec::new();
            for l in a.summary.iter().chain(a.boundary_note.iter()) {
                texts.extend(fold_all(l));
            }
            let sub = e.subdistrict(&a.subdistrict).map(|s| s.name.clone());
            if let Some(s) = &sub {
                texts.extend(fold_all(s));
            }
            if let Some(d) = e.district(&a.district) {
                texts.extend(fold_all(&d.name));
            }
            texts.push(a.id.clone());
            entries.push(Entry {
                kind: Kind::Area,
                id: a.id.clone(),
                page: Page::Area { id: a.id.clone() },
                title: a.name.clone(),
                context: sub,
                name_len: name_len(&names),
                names,
                texts,
            });
        }
        for p in &e.places {
            let names = fold_all(&p.name);
            let mut texts = fold_all(&p.summary);
            for f in &p.facts {
                texts.extend(fold_all(&f.text));
            }
            let area = e.area(&p.area).map(|a| a.name.clone());
            if let Some(a) = &area {
                texts.extend(fold_all(a));
            }
            entries.push(Entry {
                kind: Kind::Place,
                id: p.id.clone(),
                page: Page::Place { id: p.id.clone() },
                title: p.name.clone(),
                context: area,
                name_len: name_len(&names),
                names,
                texts,
            });
        }
        for s in &e.stories {
            let names = fold_all(&s.title);
            let mut texts = Vec::new();
            if let Some(sum) = &s.summary {
                texts.extend(fold_all(sum));
            }
            for c in &s.chapters {
                texts.extend(fold_all(&c.heading));
                for para in &c.paragraphs {
                    texts.extend(fold_all(para));
                }
            }
            let context = s
                .area
                .as_deref()
                .and_then(|a| e.area(a))
                .or_else(|| {
                    s.place
                        .as_deref()
                        .and_then(|p| e.place(p))
                        .and_then(|p| e.area(&p.area))
                })
                .map(|a| a.name.clone());
            entries.push(Entry {
                kind: Kind::Story,
                id: s.id.clone(),
                page: Page::Story {
                    id: s.id.clone(),
                    chapter: 0,
                },
                title: s.title.clone(),
                context,
                name_len: name_len(&names),
                names,
                texts,
            });
        }
        for p in &e.projects {
            let names = fold_all(&p.title);
            let mut texts = fold_all(&p.summary);
            for m in &p.milestones {
                texts.extend(fold_all(&m.text));
            }
            let area = e.area(&p.area).map(|a| a.name.clone());
            if let Some(a) = &area {
                texts.extend(fold_all(a));
            }
            entries.push(Entry {
                kind: Kind::Project,
                id: p.id.clone(),
                page: Page::Area { id: p.area.clone() },
                title: p.title.clone(),
                context: area,
                name_len: name_len(&names),
                names,
                texts,
            });
        }
        SearchIndex { folder, entries }
    }

    /// The folder this index compares with.
    pub fn folder(&self) -> &Folder {
        &self.folder
    }

    /// How many records are searchable.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best `limit` results for `query`, titles in `lang`. An empty query finds nothing.
    pub fn search(&self, query: &str, lang: Lang, limit: usize) -> Vec<Hit> {
        let q = self.folder.fold(query);
        if q.is_empty() {
            return Vec::new();
        }
        let terms: Vec<&str> = q.split(' ').collect();
        let mut scored: Vec<(u32, &Entry)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let s = score(e, &q, &terms);
                (s > 0).then_some((s, e))
            })
            .collect();
        scored.sort_unstable_by(|(sa, a), (sb, b)| {
            sb.cmp(sa)
                .then(a.kind.cmp(&b.kind))
                .then(a.name_len.cmp(&b.name_len))
                .then_with(|| a.title.get(lang).cmp(b.title.get(lang)))
                .then_with(|| a.id.cmp(&b.id))
        });
        scored
            .into_iter()
            .take(limit)
            .map(|(score, e)| Hit {
                kind: e.kind,
                id: e.id.clone(),
                page: e.page.clone(),
                title: e.title.get(lang).to_string(),
                context: e.context.as_ref().map(|c| c.get(lang).to_string()),
                score,
            })
            .collect()
    }
}

fn score(e: &Entry, q: &str, terms: &[&str]) -> u32 {
    let mut best = 0;
    for n in &e.names {
        let s = if n == q {
            EXACT
        } else if n.starts_with(q) {
            PREFIX
        } else if n.split(' ').any(|w| w.starts_with(q)) {
            WORD_PREFIX
        } else if n.contains(q) {
            IN_NAME
        } else if terms.len() > 1 && terms.iter().all(|t| n.contains(t)) {
            TERMS_IN_NAME
        } else {
            0
        };
        best = best.max(s);
    }
    if best > 0 {
        return best;
    }
    if e.texts.iter().any(|t| t.contains(q)) {
        return IN_TEXT;
    }
    if terms.len() > 1
        && terms
            .iter()
            .all(|t| e.names.iter().chain(e.texts.iter()).any(|x| x.contains(t)))
    {
        return TERMS_IN_TEXT;
    }
    0
}

/// Traditional characters (read in step with [`SIMPLIFIED`]): the pairs that occur in the
/// exhibit's seed articles and data, checked against a standard conversion table.
pub(crate) const TRADITIONAL: [&str; 13] = [
    "並乾亂來係個們側備傢傳傷傾僅價儀儘優兒內兩冊別則剋創劃劉勁動務勞勢勵匯區協卻參員",
    "問啓啟喚單嘗嚮嚴國圍園圖團執堅報場塊壇壓壘壽夥奬奮娛學寜實寧寫寶將專尋對導屆層屬",
    "嵐師帶幫幹幾庫廂廈廣廳張強彆後徑從復徵徹悅愛態慣慮慶憂憶應懷戰戲戶拋捲掛換揮擁擇",
    "擔據擴擾攜攝攬數斷於時暢暫曆曬書會東條楊業極榮構樂樓標樣樹橋機橫檔檢欄權歡歲歷歸",
    "毀氣決沒況淺減測湧溝溫滄滿漁漲漸潔潛潤濃瀏灘為無煙煥熱燈營爭爾牆牽狹獎獨獲獻現環",
    "產産畫當療癥發盜盡監盤眾睏瞭確碼礎禮種稱積穩競筍節範築篩簽籌糾紀約紅納紐級紛細紹",
    "終組結絡給統絲綉經綜綠綫維網緊線編練緻縮總績織繕繞繡繪繼續纍纔義習聞聯聲職聽脈臉",
    "臨臺與興舉舊華葉著蔥薈藝蘇蘊處虛號衛衝裏裝裡製見規視親覺覽觀觸計討訓記訪設許訴詐",
    "評詢試話該誌認誕語誤說課誼調談請論諧諮諾謀講謝證識議護譽讀變讓谘豐負貢貫責費貼資",
    "賢質購賽贈贊跡踐躍車軌軟軸較載輕輝輪輯輻轄轉辦迴這進遊運過達違適遷選遺邁還邊邏鄰",
    "醫釋針銀銘鋒錄錢錯錶鍵鍾鏈鑰長門閃閉開閑閒間閔閤閱闆關闢陣陳陸陽隊階際隨險隱隸隻",
    "雙離難電靜鞦韆響頁項順須預頑領頭頻顆題願類顯風颱飛飪飯養餘饋馬駁駐駕驗髒體髮鬆鬥",
    "鬧鬱鳴麗麵麼黃點黨齒齡齣龍",
];

/// The simplified form of each character of [`TRADITIONAL`], position by position.
pub(crate) const SIMPLIFIED: [&str; 13] = [
    "并干乱来系个们侧备家传伤倾仅价仪尽优儿内两册别则克创划刘劲动务劳势励汇区协却参员",
    "问启启唤单尝向严国围园图团执坚报场块坛压垒寿伙奖奋娱学宁实宁写宝将专寻对导届层属",
    "岚师带帮干几库厢厦广厅张强别后径从复征彻悦爱态惯虑庆忧忆应怀战戏户抛卷挂换挥拥择",
    "担据扩扰携摄揽数断于时畅暂历晒书会东条杨业极荣构乐楼标样树桥机横档检栏权欢岁历归",
    "毁气决没况浅减测涌沟温沧满渔涨渐洁潜润浓浏滩为无烟焕热灯营争尔墙牵狭奖独获献现环",
    "产产画当疗症发盗尽监盘众困了确码础礼种称积稳竞笋节范筑筛签筹纠纪约红纳纽级纷细绍",
    "终组结络给统丝绣经综绿线维网紧线编练致缩总绩织缮绕绣绘继续累才义习闻联声职听脉脸",
    "临台与兴举旧华叶着葱荟艺苏蕴处虚号卫冲里装里制见规视亲觉览观触计讨训记访设许诉诈",
    "评询试话该志认诞语误说课谊调谈请论谐咨诺谋讲谢证识议护誉读变让咨丰负贡贯责费贴资",
    "贤质购赛赠赞迹践跃车轨软轴较载轻辉轮辑辐辖转办回这进游运过达违适迁选遗迈还边逻邻",
    "医释针银铭锋录钱错表键钟链钥长门闪闭开闲闲间闵合阅板关辟阵陈陆阳队阶际随险隐隶只",
    "双离难电静秋千响页项顺须预顽领头频颗题愿类显风台飞饪饭养余馈马驳驻驾验脏体发松斗",
    "闹郁鸣丽面么黄点党齿龄出龙",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Area, AreaProps, Boundary, LocationAccuracy, Place, PlaceKind, PlaceProps};

    /// The exhibit's own data files, compiled into the test (the core does no IO).
    fn real_exhibit() -> Exhibit {
        macro_rules! file {
            ($name:literal) => {
                (
                    $name,
                    Some(&include_bytes!(concat!("../../data/", $name))[..]),
                )
            };
        }
        let files: Vec<(&str, Option<&[u8]>)> = vec![
            file!("exhibit.json"),
            file!("sources.json"),
            ("districts.geojson", None),
            file!("subdistricts.json"),
            file!("areas.geojson"),
            file!("places.geojson"),
            file!("projects.json"),
            file!("stories.json"),
            file!("i18n/zh-Hans.json"),
            file!("i18n/zh-Hant.json"),
            file!("i18n/en.json"),
        ];
        crate::load::load(&files).exhibit
    }

    fn titles(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.title.as_str()).collect()
    }

    #[test]
    fn the_static_table_is_aligned_and_folds_to_simplified() {
        let t: usize = TRADITIONAL.iter().map(|s| s.chars().count()).sum();
        let s: usize = SIMPLIFIED.iter().map(|s| s.chars().count()).sum();
        assert_eq!(
            t, s,
            "the two halves of the table must have the same length"
        );
        for (a, b) in TRADITIONAL.iter().zip(SIMPLIFIED.iter()) {
            assert_eq!(a.chars().count(), b.chars().count(), "line {a} / {b}");
        }
        let f = Folder::new();
        assert_eq!(f.fold("南昌大樓"), "南昌大楼");
        assert_eq!(f.fold("漁陽里居民區"), "渔阳里居民区");
        assert_eq!(f.fold("麵筋弄"), "面筋弄");
        // A simplified text folds to itself.
        assert_eq!(f.fold("金坛路居民区"), "金坛路居民区");
        // Every simplified character of the table is a fixed point (no chains left).
        for c in SIMPLIFIED.iter().flat_map(|s| s.chars()) {
            assert_eq!(
                f.fold(&c.to_string()),
                c.to_string(),
                "{c} is not a fixed point"
            );
        }
    }

    #[test]
    fn folding_ignores_case_width_and_punctuation() {
        let f = Folder::new();
        assert_eq!(f.fold("  Nanchang   BUILDING "), "nanchang building");
        assert_eq!(f.fold("ＮＡＮＣＨＡＮＧ　５"), "nanchang 5");
        assert_eq!(
            f.fold("《新青年》编辑部旧址（老渔阳里2号）"),
            "新青年 编辑部旧址 老渔阳里2号"
        );
        assert_eq!(f.fold("Yuyangli’s “Red Home”"), "yuyangli s red home");
        assert_eq!(f.fold("·、。"), "");
    }

    #[test]
    fn traditional_characters_find_simplified_names_and_back() {
        let e = real_exhibit();
        let index = SearchIndex::new(&e);
        let hits = index.search("南昌大樓", Lang::ZhHans, 10);
        assert_eq!(
            hits.first().map(|h| h.id.as_str()),
            Some("nanchang-building"),
            "{:?}",
            titles(&hits)
        );
        assert_eq!(hits[0].kind, Kind::Place);
        assert_eq!(hits[0].score, EXACT);
        assert_eq!(
            hits[0].page,
            Page::Place {
                id: "nanchang-building".into()
            }
        );
        // The story about it comes too, after the building itself.
        assert!(
            hits.iter()
                .any(|h| h.kind == Kind::Story && h.id == "nanchang-building")
        );
        // Simplified query, traditional interface: the same building, its name in traditional.
        let hits = index.search("南昌大楼", Lang::ZhHant, 10);
        assert_eq!(hits[0].id, "nanchang-building");
        assert_eq!(hits[0].title, "南昌大樓");
        // Traditional query for an area.
        let hits = index.search("漁陽里", Lang::ZhHans, 10);
        assert!(
            hits.iter()
                .any(|h| h.kind == Kind::Area && h.id == "prov-310101023000-yuyangli"),
            "{:?}",
            titles(&hits)
        );
        let hits = index.search("麵筋弄", Lang::ZhHans, 10);
        assert_eq!(hits[0].id, "mianjin-lane", "{:?}", titles(&hits));
    }

    #[test]
    fn english_is_case_insensitive_and_prefixes_rank_first() {
        let e = real_exhibit();
        let index = SearchIndex::new(&e);
        let hits = index.search("Nanchang", Lang::En, 10);
        let ids: Vec<(Kind, &str)> = hits.iter().map(|h| (h.kind, h.id.as_str())).collect();
        assert!(ids.contains(&(Kind::Place, "nanchang-building")), "{ids:?}");
        assert!(ids.contains(&(Kind::Area, "310101023005")), "{ids:?}");
        // The area named exactly "Nanchang" ranks before the building whose name only starts so.
        assert_eq!(ids[0], (Kind::Area, "310101023005"), "{ids:?}");
        assert_eq!(hits[0].title, "Nanchang");
        let lower = index.search("nanchang building", Lang::En, 10);
        assert_eq!(lower[0].id, "nanchang-building");
        assert_eq!(lower[0].title, "Nanchang Building");
        // Name matches come before matches in summaries and story text, whatever the kind.
        let scores: Vec<u32> = hits.iter().map(|h| h.score).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        // A word inside a name: "Building" finds Nanchang Building by a word prefix.
        let hits = index.search("build", Lang::En, 20);
        assert!(
            hits.iter()
                .any(|h| h.id == "nanchang-building" && h.score == WORD_PREFIX),
            "{:?}",
            titles(&hits)
        );
    }

    #[test]
    fn every_language_finds_every_area_and_place_by_its_name() {
        let e = real_exhibit();
        let index = SearchIndex::new(&e);
        for lang in Lang::ALL {
            for a in &e.areas {
                let hits = index.search(a.name.get(lang), lang, 50);
                assert!(
                    hits.iter().any(|h| h.kind == Kind::Area && h.id == a.id),
                    "{lang:?} {}",
                    a.name.get(lang)
                );
            }
            for p in &e.places {
                let hits = index.search(p.name.get(lang), lang, 50);
                assert_eq!(
                    hits.first().map(|h| h.id.as_str()),
                    Some(p.id.as_str()),
                    "{lang:?} {}",
                    p.name.get(lang)
                );
            }
        }
    }

    #[test]
    fn projects_open_their_area_and_stories_their_first_chapter() {
        let e = real_exhibit();
        let index = SearchIndex::new(&e);
        let hits = index.search("Flowers Bloom", Lang::En, 10);
        let project = hits
            .iter()
            .find(|h| h.kind == Kind::Project)
            .expect("the project");
        assert_eq!(project.id, "yanzhong-flowers-jinxian");
        assert_eq!(
            project.page,
            Page::Area {
                id: "310101023002".into()
            }
        );
        assert_eq!(project.context.as_deref(), Some("Yanzhong"));
        let story = hits
            .iter()
            .find(|h| h.kind == Kind::Story)
            .expect("the story");
        assert_eq!(
            story.page,
            Page::Story {
                id: "jinxian-road".into(),
                chapter: 0
            }
        );
    }

    #[test]
    fn a_text_match_ranks_below_a_name_and_multi_word_queries_need_every_word() {
        let e = real_exhibit();
        let index = SearchIndex::new(&e);
        // Words from two different fields of the same record still find it.
        let hits = index.search("Nanchang splendour", Lang::En, 10);
        assert!(
            hits.iter()
                .any(|h| h.kind == Kind::Story && h.id == "nanchang-building"),
            "{:?}",
            titles(&hits)
        );
        assert!(index.search("nanchang zzzqqq", Lang::En, 10).is_empty());
        assert!(index.search("   ", Lang::En, 10).is_empty());
        assert!(index.search("·", Lang::ZhHans, 10).is_empty());
        // Limit is honoured.
        assert!(index.search("居民区", Lang::ZhHans, 3).len() <= 3);
    }

    fn tiny(hans: &str, hant: &str) -> Exhibit {
        let mut e = Exhibit::default();
        e.areas.push(Area {
            props: AreaProps {
                id: "310101023099".into(),
                name: Localized::new(hans).with_zh_hant(hant).with_en("Bell Lane"),
                subdistrict: "310101023000".into(),
                district: "310101000000".into(),
                households: None,
                residents: None,
                area_km2: None,
                summary: Some(Localized::new("这里有一口老钟").with_zh_hant("這裡有一口老鐘")),
                boundary: Boundary::Schematic,
                boundary_note: None,
                sources: vec![],
            },
            geometry: geo::MultiPolygon(vec![]),
        });
        e.places.push(Place {
            props: PlaceProps {
                id: "bell".into(),
                name: Localized::new("钟楼").with_en("Bell tower"),
                kind: PlaceKind::Building,
                area: "310101023099".into(),
                summary: Localized::new("老钟"),
                facts: vec![],
                story: None,
                image: None,
                location: LocationAccuracy::Approximate,
                sources: vec![],
            },
            point: geo::Point::new(121.47, 31.22),
        });
        e.reindex();
        e
    }

    #[test]
    fn pairs_are_learnt_from_the_exhibits_aligned_texts() {
        // 鐘 → 钟 is not in the static table: the exhibit teaches it.
        assert_eq!(Folder::new().fold("鐘"), "鐘");
        let e = tiny("钟弄居民区", "鐘弄居民區");
        let index = SearchIndex::new(&e);
        assert_eq!(index.folder().fold("鐘"), "钟");
        let hits = index.search("鐘樓", Lang::ZhHant, 10);
        assert_eq!(hits.first().map(|h| h.id.as_str()), Some("bell"));
        // The area, found by its traditional name, shows its traditional title and context.
        let hits = index.search("鐘弄", Lang::ZhHant, 10);
        assert_eq!(hits[0].title, "鐘弄居民區");
        let hits = index.search("bell", Lang::En, 10);
        // Both names start with the word: the place comes before the area.
        assert_eq!(titles(&hits), vec!["Bell tower", "Bell Lane"]);
    }

    #[test]
    fn a_reworded_translation_teaches_no_false_pair() {
        // Same length, different words: 老 ↔ 旧 would be a false pair, and 老 is a simplified
        // character the exhibit uses, so it is never folded.
        let e = tiny("老钟弄", "舊鐘弄");
        let index = SearchIndex::new(&e);
        assert_eq!(index.folder().fold("老"), "老");
        assert!(index.folder().len() > 400);
    }
}
