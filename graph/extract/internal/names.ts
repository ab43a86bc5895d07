/**
 * Checks that a candidate is a name of its type, from its form and context rather than from the
 * segmenter's POS tag alone: jieba tags 伏特加 and 陈述 `nr`, 香水 and 上市 `ns`, 上市公司 `nt`.
 */
import type { SentenceCtx, Token } from '../types.js';

/** Common Chinese surnames (single and compound). */
const SURNAMES_1 = new Set([...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍韦申尤毕聂丛焦向柳邢路岳齐沿梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵解强柴华车冉房边'.split('')]);
const SURNAMES_2 = new Set(['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '令狐', '慕容', '司徒', '夏侯', '长孙', '宇文']);

/** Words that say the name next to them is a person: titles, roles, honorifics. */
const PERSON_CUE_AFTER = /^\s*(?:先生|女士|博士|教授|院士|同志|总|董事长|副?总裁|副?总经理|首席|董事|监事|经理|主任|局长|部长|院长|所长|校长|行长|主席|会长|秘书长|发言人|表示|指出|认为|说|称|介绍|透露|境内自然人|境外自然人|\s*\((?:[A-Z][a-z]+[ .-]?){1,4}\))/u;
/** 张伟，星澜科技首席科学家， / 王强(星澜科技副总裁): a title in apposition right after the name. */
const APPOSITION_AFTER = /^\s*[,(]\s*[\p{Script=Han}A-Za-z]{2,16}?(?:首席\p{Script=Han}{2,4}|副?董事长|副?总裁|副?总经理|董事会秘书|创始人|联合创始人|副?院长|副?校长|教授|研究员|科学家|发言人|总监|CEO|CTO|CFO|COO)\s*[,)]/u;
const PERSON_CUE_BEFORE = /(?:董事长|副?总裁|副?总经理|首席执行官|CEO|创始人|负责人|总工程师|经理|董事|监事|主任|局长|部长|院长|所长|校长|行长|主席|会长|秘书长|发言人|教授|博士|研究员|工程师|记者|作者|先生|女士)\s*$/u;

/** "丹尼尔·霍特", "巴兹?奥尔德林" (a · lost to a charset mismatch). */
export const TRANSLITERATED = /\p{Script=Han}{1,6}[·•・‧?？]\p{Script=Han}{1,8}/gu;

export function looksLikeChineseName(word: string): boolean {
  if (!/^\p{Script=Han}{2,4}$/u.test(word)) return false;
  if (word.length <= 4 && SURNAMES_2.has(word.slice(0, 2))) return word.length >= 3;
  return SURNAMES_1.has(word[0]!) && word.length <= 3;
}

/** A Chinese personal name with a title, honorific, speech verb or (English Name) next to it. */
export function personInContext(ctx: SentenceCtx, start: number, end: number): boolean {
  const word = ctx.match.slice(start, end);
  if (!looksLikeChineseName(word)) return false;
  const after = ctx.match.slice(end, end + 12);
  const before = ctx.match.slice(Math.max(0, start - 8), start);
  return PERSON_CUE_AFTER.test(after) || PERSON_CUE_BEFORE.test(before) || APPOSITION_AFTER.test(ctx.match.slice(end, end + 24));
}

/** Countries, regions and world cities jieba tags `ns` that carry no administrative suffix. */
const PLACES = new Set(['中国', '美国', '日本', '韩国', '朝鲜', '英国', '法国', '德国', '意大利', '西班牙', '葡萄牙', '荷兰', '比利时', '瑞士', '瑞典', '挪威', '芬兰', '丹麦', '奥地利', '波兰', '俄罗斯', '乌克兰', '土耳其', '以色列', '伊朗', '沙特', '沙特阿拉伯', '阿联酋', '埃及', '南非', '尼日利亚', '肯尼亚', '印度', '巴基斯坦', '孟加拉', '印度尼西亚', '印尼', '马来西亚', '新加坡', '泰国', '越南', '菲律宾', '缅甸', '柬埔寨', '澳大利亚', '新西兰', '加拿大', '墨西哥', '巴西', '阿根廷', '智利', '秘鲁', '哥伦比亚', '欧洲', '亚洲', '非洲', '美洲', '北美', '南美', '欧盟', '中东', '东南亚', '香港', '澳门', '台湾', '北京', '上海', '天津', '重庆', '深圳', '广州', '杭州', '南京', '苏州', '武汉', '成都', '西安', '合肥', '青岛', '大连', '厦门', '宁波', '无锡', '长沙', '郑州', '济南', '沈阳', '哈尔滨', '长春', '昆明', '贵阳', '南宁', '福州', '南昌', '太原', '石家庄', '兰州', '乌鲁木齐', '拉萨', '呼和浩特', '银川', '西宁', '海口', '东莞', '佛山', '珠海', '纽约', '伦敦', '巴黎', '东京', '首尔', '柏林', '莫斯科', '华盛顿', '洛杉矶', '旧金山', '硅谷', '芝加哥', '休斯顿', '波士顿', '西雅图', '多伦多', '温哥华', '悉尼', '墨尔本', '孟买', '新德里', '迪拜', '慕尼黑', '法兰克福', '阿姆斯特丹', '日内瓦', '苏黎世', '火星', '月球']);
const PLACE_SUFFIX = /(?:省|市|县|区|州|镇|乡|村|自治区|特别行政区|半岛|群岛|岛|湾|港|共和国|王国|空间站)$/u;
const NOT_PLACES = new Set(['地区', '市区', '城区', '园区', '社区', '景区', '小区', '港口', '开发区', '自贸区', '海湾', '本市', '全市', '全省', '全国', '各省', '各市', '外省']);

export function isPlaceName(word: string): boolean {
  if (PLACES.has(word)) return true;
  return /^\p{Script=Han}{3,10}$/u.test(word) && PLACE_SUFFIX.test(word) && !NOT_PLACES.has(word) && !NOT_PLACES.has(word.slice(-2));
}

/** Organization heads that are common nouns alone or after a common noun (上市公司, 海外公司, 航天中心). */
const GENERIC_ORG = /^(?:上市|控股|参股|子|母|分|总|本|该|贵|我|其|此|各|海外|境外|境内|国内|国外|外资|合资|民营|国有|私营|科技|人工智能|互联网|投资|管理|咨询|服务|研究|创新|数据|航天|技术|证券|基金|保险|信托|财务|金融|资产管理|关联|联营|合营|结算|同|除同|详见|具体内容详见)?(?:公司|集团|中心|机构|企业|银行|大学|医院|学院|研究院|研究所|实验室|交易所)$/u;

export function isGenericOrg(word: string): boolean {
  return GENERIC_ORG.test(word);
}

/** Report boilerplate and clause fragments that are never names. */
const BOILERPLATE = /报告期|详见|相关公告|公告编号|不适用|适用|以下简称|归属于|本报告|上年同期|同比|单位:|单位：|变动原因|主要是|所致|是否|□|√/u;

export function isBoilerplate(name: string): boolean {
  return BOILERPLATE.test(name);
}

/** Latin words for kinds of things, not names (AI模型, API服务, 该App). */
export const GENERIC_LATIN = /^(?:AI|AGI|AIGC|API|APIs|APP|App|app|LLM|LLMs|GPU|CPU|NPU|NLP|SaaS|IT|IoT|VR|AR|PC|OS|SDK|Agent|Chatbot|Token|Tokens)$/u;

/** jieba tags of proper nouns (and unknown words the HMM found). */
export const PROPER_TAG = /^(?:nr|nrt|nrfg|ns|nt|nz|eng|x)$/;

export function hasProperToken(tokens: Token[], start: number, end: number): boolean {
  return tokens.some((t) => t.start >= start && t.end <= end && PROPER_TAG.test(t.tag) && /[\p{Script=Han}A-Za-z]/u.test(t.word));
}
