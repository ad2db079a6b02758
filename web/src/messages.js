// Every text of the web map's interface, in Chinese and English: the one
// message catalogue. The page shows both languages side by side (the map's
// users read either), so a message is always rendered as a pair:
// <span lang="zh-Hans">…</span> <span lang="en">…</span>.
//
// The vocabulary of the data (category, status and position-quality labels)
// is in styles/palette.json, shared with the MapLibre and QGIS styles; the
// data's own texts (names, the article's sentence, geom_source) are shown as
// they are. Values of `kind` and `action` are translated here.
//
// {name} in a message is replaced by params.name.

import { el, escapeHtml } from './dom.js';

export const MESSAGES = {
    // ------------------------------------------------------------ page
    'page.title': { zh: '北辰区 2020 年重点项目', en: 'Beichen District 2020 programme' },
    'page.place': { zh: '北辰区位于天津市中心城区以北', en: 'Beichen District, north of central Tianjin' },
    'page.fatal': { zh: '地图无法加载：{error}', en: 'The map could not be loaded: {error}' },
    'skip.map': { zh: '跳到地图', en: 'Skip to the map' },
    'skip.list': { zh: '跳到项目列表', en: 'Skip to the project list' },
    'panel.toggle': { zh: '项目与图层', en: 'Projects and layers' },
    'panel.tabs': { zh: '面板', en: 'Panel' },
    'tab.projects': { zh: '项目', en: 'Projects' },
    'tab.layers': { zh: '图层', en: 'Layers' },
    'tab.about': { zh: '说明', en: 'About' },
    'map.label': { zh: '北辰区地图', en: 'Map of Beichen District' },
    'map.zoomIn': { zh: '放大', en: 'Zoom in' },
    'map.zoomOut': { zh: '缩小', en: 'Zoom out' },

    // ------------------------------------------------------------ what you see
    'summary.line': {
        zh: '{count} 个 2020 年项目。颜色＝类别，填充＝进度，柔和圆盘＝位置仅为示意。',
        en: '{count} projects of 2020. Colour: category; fill: progress; soft disc: position only roughly known.',
    },
    'summary.short': { zh: '{count} 个 2020 年项目', en: '{count} projects of 2020' },

    // ------------------------------------------------------------ search
    'search.label': { zh: '搜索项目名称', en: 'Search project names' },
    'search.placeholder': { zh: '搜索名称', en: 'Search names…' },
    'search.results': { zh: '搜索结果', en: 'Search results' },
    'search.none': { zh: '没有找到“{q}”', en: 'No match for “{q}”' },
    'search.count': { zh: '{n} 个结果', en: '{n} results' },
    'search.count1': { zh: '1 个结果', en: '1 result' },
    'search.failed': { zh: '搜索失败', en: 'Search failed' },

    // ------------------------------------------------------------ project list
    'group.label': { zh: '分组', en: 'Group' },
    'group.category': { zh: '类别', en: 'Category' },
    'group.status': { zh: '状态', en: 'Status' },
    'list.loading': { zh: '加载中…', en: 'Loading…' },
    'list.heading': { zh: '项目列表', en: 'Project list' },
    'list.hidden': { zh: '已隐藏', en: 'hidden' },
    'list.other': { zh: '其他', en: 'Other' },

    // ------------------------------------------------------------ layers
    'layers.heading': { zh: '图层与底图', en: 'Layers and basemap' },
    'basemap.legend': { zh: '底图', en: 'Basemap' },
    'basemap.plain': { zh: '无底图', en: 'Plain background' },
    'basemap.osm': { zh: '{name}（在线）', en: '{name} (online)' },
    'basemap.local': { zh: '本地底图（服务器）', en: 'Local basemap (server)' },
    'basemap.none': { zh: '未配置底图（config.json）。', en: 'No basemap is configured (config.json).' },
    'basemap.hint': { zh: '无底图：联网时可选择 {name}。', en: 'Plain background: choose {name} to load the basemap when you are online.' },
    'basemap.offline': { zh: '浏览器处于离线状态：无底图。', en: 'The browser is offline: plain background.' },
    'basemap.checking': { zh: '正在检查能否连接 {name}…', en: 'Checking whether {name} can be reached…' },
    'basemap.unreachable': { zh: '无法连接 {name}：无底图。', en: '{name} could not be reached: plain background.' },
    'layers.categories': { zh: '类别', en: 'Categories' },
    'layers.collections': { zh: '图层', en: 'Layers' },
    'layers.showAll': { zh: '全部显示', en: 'Show all' },

    // ------------------------------------------------------------ about
    'about.heading': { zh: '关于这张地图', en: 'About this map' },
    'about.what': {
        zh: '每个点、线、面都是 2020 年北辰区区长访谈（津云，2020-01-18）中提到的项目；弹窗引用文章原句。',
        en: 'Every symbol is a project named in the district head\'s 2020 interview (津云, 2020-01-18); the popup quotes the article\'s own sentence.',
    },
    'about.trustTitle': { zh: '位置可信度', en: 'How far to trust a position' },
    'about.trust': {
        zh: '大多数项目的位置没有公开资料。示意位置（只知道大致范围）画成柔和的圆盘，圆盘就是位置可能所在的范围，中间没有清晰的点；近似位置（有来源或估计，误差见半径）画成虚线点加较小的圆盘；实测位置画成清晰的实线点。几个示意项目共用同一范围时，合并为一个带数字的组标记，点开即列出各项目。每个弹窗都说明适用哪一种以及实际位置可能偏离多远。',
        en: 'Most project locations are published nowhere we could reach. A schematic position (only the rough area is known) is drawn as a soft disc: the disc is the area where the place may be, with no crisp point in it. An approximate position (sourced or estimated, within the stated radius) is a dashed point with a smaller disc; a surveyed one a crisp solid point. Where several schematic projects share one area they are one numbered group marker that opens into a list. Every popup says which applies and how far off the real place may be.',
    },
    'about.data': { zh: '数据：{attribution}', en: 'Data: {attribution}' },
    'about.links': { zh: '数据接口', en: 'Data services' },

    // ------------------------------------------------------------ legend
    'legend.title': { zh: '图例', en: 'Legend' },
    'legend.category': { zh: '类别（颜色）', en: 'Category (colour)' },
    'legend.status': { zh: '2020 年状态（填充）', en: '2020 status (fill)' },
    'legend.position': { zh: '位置可信度', en: 'Position' },
    'legend.surveyed': { zh: '清晰的点', en: 'a crisp point' },
    'legend.approximate': { zh: '虚线点与较小的范围圆', en: 'dashed point, smaller disc' },
    'legend.schematic': { zh: '只画可能所在的范围，没有点', en: 'only the area it may be in, no pin' },
    'legend.group': { zh: '同一范围内的多个示意项目', en: 'Several schematic projects in one area' },
    'legend.lines': { zh: '线：实线＝实测，虚线＝近似，点线＝示意', en: 'Lines: solid surveyed, dashed approximate, dotted schematic' },

    // ------------------------------------------------------------ popup
    'popup.category': { zh: '类别', en: 'Category' },
    'popup.kind': { zh: '类型', en: 'Kind' },
    'popup.action': { zh: '行动', en: 'Action' },
    'popup.status': { zh: '状态', en: 'Status' },
    'popup.statusAsOf': { zh: '状态截至 {date}', en: 'status as of {date}' },
    'popup.targetYear': { zh: '目标年份', en: 'Target year' },
    'popup.length': { zh: '长度', en: 'Length' },
    'popup.lengthDrawn': { zh: '示意长度，并非实际', en: 'drawn, not real' },
    'popup.area': { zh: '面积', en: 'Area' },
    'popup.layer': { zh: '图层', en: 'Layer' },
    'popup.article': { zh: '原文：津云，2020-01-18，区长访谈', en: 'The article: 津云, 2020-01-18, district head interview' },
    'popup.position': { zh: '位置', en: 'Position' },
    'popup.uncertainty': { zh: '误差半径：±{distance}', en: 'Uncertainty radius: ±{distance}' },
    'popup.uncertaintyWhy': { zh: '实际位置应在所绘位置的这一距离之内', en: 'the real place is believed to lie within this distance of the drawn one' },
    'popup.uncertaintyCircle': { zh: '即地图上的圆', en: 'the circle on the map' },
    'popup.noQuality': { zh: '未给出位置可信度（geom_quality）：按示意位置绘制。', en: 'No geom_quality given: drawn as schematic.' },
    'popup.source': { zh: '位置来源', en: 'Where the shape came from' },
    'popup.sourceNote': { zh: '（数据原文，英文）', en: '(as recorded in the data)' },
    'popup.more': { zh: '全部属性（另 {n} 项）', en: 'All attributes ({n} more)' },
    'popup.permalink': { zh: '链接到此视图', en: 'Link to this view' },
    'popup.close': { zh: '关闭', en: 'Close' },

    // ------------------------------------------------------------ editing (signed-in editors)
    'edit.signIn': { zh: '登录以编辑', en: 'Sign in to edit' },
    'edit.signedInAs': { zh: '编辑者：{name}', en: 'Editing as {name}' },
    'edit.signedInDetail': { zh: '已登录：{name}（{role}）', en: 'Signed in as {name} ({role})' },
    'edit.dialogTitle': { zh: '编辑登录', en: 'Sign in to edit' },
    'edit.tokenLabel': { zh: 'API 令牌', en: 'API token' },
    'edit.tokenHint': { zh: '由管理员用 regiomap token add 生成；仅保存在本标签页中。', en: 'Made by your administrator with regiomap token add; kept in this tab only.' },
    'edit.submit': { zh: '登录', en: 'Sign in' },
    'edit.signOut': { zh: '退出登录', en: 'Sign out' },
    'edit.dialogCancel': { zh: '关闭', en: 'Close' },
    'edit.checking': { zh: '正在核对令牌…', en: 'Checking the token…' },
    'edit.tokenMissing': { zh: '请输入令牌。', en: 'Enter a token.' },
    'edit.tokenRefused': { zh: '令牌无效（未知、已撤销或输错）。', en: 'The token is not valid (unknown, revoked or mistyped).' },
    'edit.signInFailed': { zh: '无法登录（HTTP {status}）。', en: 'Could not sign in (HTTP {status}).' },
    'edit.tooMany': { zh: '登录失败次数过多，请 {seconds} 秒后再试。', en: 'Too many failed sign-ins; try again in {seconds} s.' },
    'edit.open': { zh: '编辑', en: 'Edit' },
    'edit.loadFailed': { zh: '无法载入此项目以编辑（HTTP {status}）。', en: 'Could not load this project for editing (HTTP {status}).' },
    'edit.formTitle': { zh: '编辑项目', en: 'Edit this project' },
    'edit.statusDate': { zh: '状态日期', en: 'Status as of' },
    'edit.quality': { zh: '位置可信度', en: 'Position quality' },
    'edit.uncertainty': { zh: '误差半径（米）', en: 'Uncertainty (m)' },
    'edit.sourceHint': { zh: '说明位置从何而来（例如实地测量、规划图）。', en: 'Say where the position comes from (a survey, a plan…).' },
    'edit.lat': { zh: '纬度', en: 'Latitude' },
    'edit.lon': { zh: '经度', en: 'Longitude' },
    'edit.move': { zh: '在地图上移动', en: 'Move on the map' },
    'edit.dragHint': { zh: '拖动地图上的标记到新位置，或直接输入经纬度。', en: 'Drag the marker on the map to the new position, or type the coordinates.' },
    'edit.reason': { zh: '修改原因', en: 'Why' },
    'edit.reasonHint': { zh: '记入此项目的修改记录。', en: 'Goes into the project’s history.' },
    'edit.save': { zh: '保存', en: 'Save' },
    'edit.cancel': { zh: '取消', en: 'Cancel' },
    'edit.saving': { zh: '正在保存…', en: 'Saving…' },
    'edit.saved': { zh: '已保存。地图已更新。', en: 'Saved. The map is up to date.' },
    'edit.nothing': { zh: '没有任何修改。', en: 'Nothing was changed.' },
    'edit.schemaFailed': { zh: '无法载入此图层的字段说明，暂时不能编辑。', en: 'The layer’s schema could not be loaded; editing is not possible now.' },
    'edit.conflict': {
        zh: '冲突：你打开表单后，有人已修改了此项目（{fields}）。你的修改尚未保存。',
        en: 'Conflict: someone changed this project after you opened the form ({fields}). Your changes were not saved.',
    },
    'edit.loadTheirs': { zh: '载入最新版本', en: 'Load the current version' },
    'edit.loadedTheirs': { zh: '已载入最新版本；请重新修改后保存。', en: 'The current version is loaded; make your change again and save.' },
    'edit.invalid': { zh: '服务器拒绝了以下内容：', en: 'The server refused these values:' },
    'edit.expired': { zh: '登录已失效（令牌可能已被撤销），请重新登录。', en: 'Your sign-in is no longer valid (the token may have been revoked); sign in again.' },
    'edit.forbidden': { zh: '你的令牌不能编辑此图层。', en: 'Your token may not edit this layer.' },
    'edit.failed': { zh: '保存失败（HTTP {status}）。', en: 'Saving failed (HTTP {status}).' },
    'edit.lastChange': { zh: '最近修改：{when}，{who}（{fields}）', en: 'Last changed {when} by {who} ({fields})' },
    'popup.group': { zh: '{n} 个项目，位于此范围内某处', en: '{n} projects somewhere in this area' },
    'popup.groupWhy': {
        zh: '资料只给出这些项目所在的大致范围（±{distance}），没有各自的位置，所以它们画成一个组。',
        en: 'The sources give only the area these projects are in (±{distance}), not where each one is, so they are drawn as one group.',
    },
    'group.marker': { zh: '{n} 个示意项目，展开列表', en: '{n} schematic projects, open the list' },
    'sheet.label': { zh: '详情', en: 'Details' },

    'locator.label': { zh: '此视图在北辰区中的位置；返回全区视图', en: 'Where this view lies in Beichen District; back to the district view' },

    // ------------------------------------------------------------ attribution
    'attribution.toggle': { zh: '来源与版权', en: 'Sources and copyright' },
    'attribution.orientation': {
        zh: '邻区与天津市中心城区标注：{geonames}（{licence}）',
        en: 'Neighbouring districts and central Tianjin: {geonames} ({licence})',
    },

    // ------------------------------------------------------------ values of `kind`
    'kind.district': { zh: '区', en: 'district' },
    'kind.core_area': { zh: '核心区', en: 'core area' },
    'kind.town': { zh: '镇', en: 'town' },
    'kind.rail': { zh: '铁路', en: 'railway' },
    'kind.metro': { zh: '地铁', en: 'metro' },
    'kind.road': { zh: '道路', en: 'road' },
    'kind.station': { zh: '车站', en: 'station' },
    'kind.station_district': { zh: '站前区', en: 'station district' },
    'kind.interchange': { zh: '互通立交', en: 'interchange' },
    'kind.grade_separation': { zh: '立交（上跨/下穿）', en: 'grade separation' },
    'kind.project': { zh: '项目', en: 'project' },
    'kind.research_institute': { zh: '研究院', en: 'research institute' },
    'kind.industrial_park': { zh: '产业园', en: 'industrial park' },
    'kind.data_centre': { zh: '数据中心', en: 'data centre' },
    'kind.development_area': { zh: '开发区域', en: 'development area' },
    'kind.land_parcel': { zh: '地块', en: 'land parcel' },
    'kind.redevelopment': { zh: '改造', en: 'redevelopment' },
    'kind.rural_project': { zh: '乡村项目', en: 'rural project' },
    'kind.village': { zh: '村', en: 'village' },
    'kind.county': { zh: '县', en: 'county' },
    'kind.water': { zh: '水源', en: 'water' },
    'kind.care_centre': { zh: '养老中心', en: 'care centre' },
    'kind.housing': { zh: '住房', en: 'housing' },
    'kind.market': { zh: '菜市场', en: 'market' },
    'kind.school': { zh: '学校', en: 'school' },
    'kind.park': { zh: '公园', en: 'park' },
};

// Values of `action` in the shipped data (short English in the data): their Chinese.
// An action not listed here is shown as it is in the data.
export const ACTIONS_ZH = {
    "build the demonstration town and its living-service facilities; a 'micro-centre' of Beijing-Tianjin-Hebei": '建设示范镇及其生活服务设施；京津冀“微中心”',
    "build the demonstration town; also the district's all-area rural cleanliness demonstration town": '建设示范镇；也是全区农村全域清洁示范镇',
    'build the demonstration village (one of 9)': '建设示范村（9 个之一）',
    'build the new market': '新建菜市场',
    'complete and start production (one of 20+)': '竣工投产（20 余个之一）',
    'complete construction (one of 6 main/secondary roads)': '完成建设（6 条主次道路之一）',
    'complete phase II': '完成二期',
    'complete the institute': '建成研究院',
    'fully start construction': '全面开工',
    'help achieve a stable exit from poverty (east-west cooperation)': '助力稳定脱贫（东西部协作）',
    'help achieve a stable exit from poverty (support cooperation)': '助力稳定脱贫（支援合作）',
    'list the land for sale': '挂牌出让土地',
    'prepare the park': '筹建园区',
    'protect the drinking-water source': '保护饮用水水源',
    'push construction (replacing outdated capacity)': '推进建设（腾退落后产能）',
    'rebuild/realignment opens to traffic': '改线改造后通车',
    'rebuild/widening opens to traffic': '改扩建后通车',
    'set up the district centre': '设立区级中心',
    'speed up construction (key project)': '加快建设（重点项目）',
    'speed up construction (key project); 小五堡 is also one of 9 demonstration villages': '加快建设（重点项目）；小五堡也是 9 个示范村之一',
    'speed up construction (major project in the core area)': '加快建设（核心区重大项目）',
    'speed up construction (one of 40+ major projects)': '加快建设（40 余个重大项目之一）',
    'speed up construction of the interchange': '加快互通立交建设',
    'speed up construction of the road and its utility tunnel': '加快道路及综合管廊建设',
    'speed up development and construction': '加快开发建设',
    'speed up the non-commercial public facilities': '加快非经营性公建配套',
    'speed up the redevelopment': '加快改造',
    'start construction': '开工建设',
    'start construction of the overpass': '上跨立交开工',
    'start construction of the underpass': '下穿立交开工',
    'start planning and construction of the station-front district': '启动站前区规划建设',
    'start the extension': '扩建开工',
    "station of the Jingbin railway; planning of its station-front district starts": '京滨铁路车站；启动站前区规划',
    'step up development and construction of the core area': '加快核心区开发建设',
    'supply land for the project': '为项目供地',
    'support construction of the line': '配合线路建设',
    'support construction of the railway': '配合铁路建设',
    'the district whose 2020 programme this is (one belt, two towns, four parks)': '本计划所属的区（一带两镇四园）',
};

const fill = (s, params) => s.replace(/\{(\w+)\}/g, (m, k) => (params[k] != null ? String(params[k]) : m));

/** { zh, en } of a message, parameters filled in. */
export function msg(key, params = {}) {
    const m = MESSAGES[key];
    if (!m) throw new Error(`no message ${key}`);
    return { zh: fill(m.zh, params), en: fill(m.en, params) };
}

/** "zh en": for attributes (aria-label, title, placeholder), where no markup is possible. */
export function text(key, params) {
    const m = msg(key, params);
    return `${m.zh} ${m.en}`;
}

/** A zh/en pair as nodes: <span lang="zh-Hans">zh</span> <span lang="en" class="en">en</span>. */
export function pair(zh, en) {
    return [
        zh ? el('span', { lang: 'zh-Hans' }, zh) : null,
        zh && en ? ' ' : null,
        en ? el('span', { lang: 'en', class: 'en' }, en) : null,
    ];
}

/** A message as a zh/en pair of nodes. */
export function t(key, params) {
    const m = msg(key, params);
    return pair(m.zh, m.en);
}

const LINKS = {
    geonames: '<a href="https://www.geonames.org/">GeoNames</a>',
    licence: '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>',
};

/** A message as zh/en spans in HTML (for Leaflet's attribution, which takes HTML), {geonames} and {licence} as links. */
export function attributionHtml(key) {
    const m = MESSAGES[key];
    if (!m) throw new Error(`no message ${key}`);
    const html = (s) => escapeHtml(s).replace(/\{(\w+)\}/g, (x, k) => LINKS[k] ?? x);
    return `<span lang="zh-Hans">${html(m.zh)}</span> <span lang="en" class="en">${html(m.en)}</span>`;
}

/** A value of `kind` in both languages (unknown kinds as they are, underscores as spaces). */
export function kindPair(kind) {
    if (!kind) return ['—'];
    const m = MESSAGES[`kind.${kind}`];
    return m ? pair(m.zh, m.en) : [el('span', { lang: 'en', class: 'en' }, String(kind).replace(/_/g, ' '))];
}

/** A value of `action` in both languages where the catalogue knows it. */
export function actionPair(action) {
    if (!action) return ['—'];
    const zh = ACTIONS_ZH[action];
    return zh ? pair(zh, action) : [el('span', { lang: 'en', class: 'en' }, action)];
}

/**
 * The static page: every element with data-msg="key" gets the pair as its
 * content; data-msg-label / data-msg-title / data-msg-placeholder set
 * aria-label / title / placeholder.
 */
export function applyMessages(root = document) {
    for (const node of root.querySelectorAll('[data-msg]')) node.replaceChildren(...t(node.dataset.msg).filter(Boolean));
    for (const [attr, name] of [['msgLabel', 'aria-label'], ['msgTitle', 'title'], ['msgPlaceholder', 'placeholder']]) {
        for (const node of root.querySelectorAll(`[data-${name === 'aria-label' ? 'msg-label' : `msg-${name}`}]`)) node.setAttribute(name, text(node.dataset[attr]));
    }
}
