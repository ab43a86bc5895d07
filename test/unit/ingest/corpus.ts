import { rng } from './fixtures.js';

/** A small generated Chinese news corpus in which 科大讯飞, 英伟达 and 大模型 recur in varied contexts. */
export function techNewsCorpus(docs = 20, sentencesPerDoc = 30, seed = 42): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const companies = ['科大讯飞', '英伟达', '华为', '百度', '腾讯', '阿里巴巴', '小米'];
  const products = ['大模型', '芯片', '语音识别系统', '自动驾驶平台', '云计算服务', '智能音箱'];
  const verbs = ['发布了', '投资了', '正在研发', '推出了', '升级了', '开源了'];
  const times = ['今年上半年', '去年年底', '本周一', '上个月', '近日'];
  const places = ['北京', '上海', '深圳', '合肥', '杭州'];
  const templates = [
    () => `${pick(times)}，${pick(companies)}${pick(verbs)}新一代${pick(products)}。`,
    () => `据报道，${pick(companies)}与${pick(companies)}将在${pick(places)}合作开发${pick(products)}。`,
    () => `分析师认为，${pick(products)}市场的竞争日趋激烈，${pick(companies)}的优势在于研发投入。`,
    () => `${pick(places)}的开发者大会上，${pick(companies)}展示了基于${pick(products)}的应用。`,
    () => `业内人士表示，${pick(products)}将改变行业格局，而${pick(companies)}已经提前布局。`,
    () => `为了训练${pick(products)}，${pick(companies)}采购了大量服务器。`,
  ];
  return Array.from({ length: docs }, () => Array.from({ length: sentencesPerDoc }, () => pick(templates)()).join(''));
}
