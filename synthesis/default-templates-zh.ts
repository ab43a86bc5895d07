import type { LangTemplates, Phrasings } from './templates.js';

/**
 * Built-in Chinese phrasings. Placeholders: {s} subject, {o} object, {stype}/{otype} type nouns,
 * {name} relation or attribute name. An industry pack may replace any list per relation type.
 */
export const ZH_RELATIONS: Record<string, { name: string; hop: string; p: Phrasings }> = {
  LOCATED_IN: {
    name: '所在地', hop: '{x}的所在地',
    p: {
      forward: ['{s}位于哪里？', '{s}在什么地方？', '请问{s}的所在地是哪里？', '{s}坐落在哪里？'],
      reverse: ['哪个{stype}位于{o}？', '位于{o}的{stype}是哪一个？', '{o}是哪个{stype}的所在地？'],
      tf: ['判断正误：{s}位于{o}。', '“{s}位于{o}”，这种说法对吗？', '请判断下面的说法是否正确：{s}坐落在{o}。'],
      list: ['{s}分布在哪些地方？', '{s}位于哪些地点？', '请列出{s}的所有所在地。'],
      reverseList: ['哪些{stype}位于{o}？', '请列出位于{o}的{stype}。', '{o}有哪些{stype}？'],
      statement: ['{s}位于{o}。', '{s}坐落在{o}。', '{s}的所在地是{o}。'],
    },
  },
  PRICED_AT: {
    name: '价格', hop: '{x}的价格',
    p: {
      forward: ['{s}的价格是多少？', '{s}售价多少？', '请问{s}卖多少钱？', '{s}的定价是多少？'],
      reverse: ['哪款{stype}的价格是{o}？', '售价为{o}的{stype}是哪一个？', '定价{o}的是哪款{stype}？'],
      tf: ['判断正误：{s}的价格是{o}。', '“{s}售价{o}”，这种说法对吗？', '请判断：{s}的定价为{o}，是否正确？'],
      list: ['{s}有哪些价格？', '{s}的各个售价分别是多少？', '请列出{s}的全部定价。'],
      reverseList: ['哪些{stype}的价格是{o}？', '请列出售价为{o}的{stype}。', '定价为{o}的{stype}有哪些？'],
      statement: ['{s}的价格是{o}。', '{s}售价{o}。', '{s}的定价为{o}。'],
    },
  },
  FOUNDED_IN: {
    name: '成立时间', hop: '{x}的成立时间',
    p: {
      forward: ['{s}成立于什么时候？', '{s}是哪一年成立的？', '请问{s}的成立时间是？', '{s}创立于何时？'],
      reverse: ['哪个{stype}成立于{o}？', '{o}成立的{stype}是哪一个？', '创立于{o}的是哪个{stype}？'],
      tf: ['判断正误：{s}成立于{o}。', '“{s}创立于{o}”，这种说法对吗？', '请判断：{s}的成立时间是{o}，是否正确？'],
      list: ['资料中{s}的成立时间有哪些说法？', '{s}的成立时间有哪些记载？', '请列出资料中{s}的所有成立时间。'],
      reverseList: ['哪些{stype}成立于{o}？', '请列出成立于{o}的{stype}。', '{o}成立的{stype}有哪些？'],
      statement: ['{s}成立于{o}。', '{s}创立于{o}。', '{s}的成立时间是{o}。'],
    },
  },
  RELEASED: {
    name: '发布的产品', hop: '{x}发布的产品',
    p: {
      forward: ['{s}发布了什么产品？', '{s}推出了哪款产品？', '请问{s}发布的产品是什么？'],
      reverse: ['{o}是由哪个{stype}发布的？', '哪个{stype}推出了{o}？', '发布{o}的{stype}是哪一个？'],
      tf: ['判断正误：{s}发布了{o}。', '“{o}是{s}推出的”，这种说法对吗？', '请判断：{s}发布了{o}，是否正确？'],
      list: ['{s}发布了哪些产品？', '{s}推出过哪些产品？', '请列出{s}发布的所有产品。'],
      reverseList: ['哪些{stype}发布了{o}？', '请列出发布过{o}的{stype}。', '推出{o}的{stype}有哪些？'],
      statement: ['{s}发布了{o}。', '{o}由{s}推出。', '{s}推出了{o}。'],
    },
  },
  ACQUIRED: {
    name: '收购的公司', hop: '{x}收购的公司',
    p: {
      forward: ['{s}收购了哪家公司？', '{s}收购了谁？', '请问{s}的收购对象是哪家？'],
      reverse: ['{o}被哪家{stype}收购了？', '哪个{stype}收购了{o}？', '收购{o}的是哪家{stype}？'],
      tf: ['判断正误：{s}收购了{o}。', '“{o}被{s}收购”，这种说法对吗？', '请判断：{s}收购了{o}，是否正确？'],
      list: ['{s}收购了哪些公司？', '{s}都收购过谁？', '请列出{s}收购的所有公司。'],
      reverseList: ['哪些{stype}收购过{o}？', '请列出收购了{o}的{stype}。', '{o}被哪些{stype}收购过？'],
      statement: ['{s}收购了{o}。', '{o}被{s}收购。', '{s}完成了对{o}的收购。'],
    },
  },
  PART_OF: {
    name: '所属整体', hop: '{x}所属的整体',
    p: {
      forward: ['{s}是什么的一部分？', '{s}属于哪个{otype}？', '请问{s}隶属于什么？'],
      reverse: ['{o}包含哪个{stype}？', '哪个{stype}是{o}的一部分？', '{o}的组成部分是什么？'],
      tf: ['判断正误：{s}是{o}的一部分。', '“{s}属于{o}”，这种说法对吗？', '请判断：{s}隶属于{o}，是否正确？'],
      list: ['{s}属于哪些整体？', '{s}是哪些{otype}的一部分？', '请列出{s}所属的全部整体。'],
      reverseList: ['{o}包括哪些{stype}？', '哪些{stype}是{o}的一部分？', '请列出{o}的所有组成部分。'],
      statement: ['{s}是{o}的一部分。', '{s}属于{o}。', '{s}隶属于{o}。'],
    },
  },
  HAS_PART: {
    name: '组成部分', hop: '{x}的组成部分',
    p: {
      forward: ['{s}包含什么部分？', '{s}的组成部分是什么？', '请问{s}由什么组成？'],
      reverse: ['{o}是哪个{stype}的一部分？', '哪个{stype}包含{o}？', '{o}属于哪个{stype}？'],
      tf: ['判断正误：{s}包含{o}。', '“{o}是{s}的组成部分”，这种说法对吗？', '请判断：{s}包括{o}，是否正确？'],
      list: ['{s}包括哪些部分？', '{s}由哪些部分组成？', '请列出{s}的所有组成部分。'],
      reverseList: ['哪些{stype}包含{o}？', '请列出包含{o}的{stype}。', '{o}是哪些{stype}的组成部分？'],
      statement: ['{s}包含{o}。', '{o}是{s}的组成部分。', '{s}包括{o}。'],
    },
  },
  IS_A: {
    name: '类别', hop: '{x}的类别',
    p: {
      forward: ['{s}属于什么类别？', '{s}属于哪一类？', '请问{s}是什么类型？'],
      reverse: ['哪个{stype}属于{o}？', '属于{o}这一类的是哪个{stype}？', '哪个{stype}是一种{o}？'],
      tf: ['判断正误：{s}是一种{o}。', '“{s}属于{o}”，这种说法对吗？', '请判断：{s}是{o}，是否正确？'],
      list: ['{s}属于哪些类别？', '{s}可以归入哪些类型？', '请列出{s}所属的全部类别。'],
      reverseList: ['哪些{stype}属于{o}？', '请列出属于{o}的{stype}。', '{o}包括哪些{stype}？'],
      statement: ['{s}是一种{o}。', '{s}属于{o}。', '{s}归类为{o}。'],
    },
  },
  CEO_OF: {
    name: '担任CEO的公司', hop: '{x}担任CEO的公司',
    p: {
      forward: ['{s}是哪家公司的CEO？', '{s}担任哪家公司的首席执行官？', '请问{s}领导哪家公司？'],
      reverse: ['{o}的CEO是谁？', '谁是{o}的首席执行官？', '{o}由谁担任CEO？'],
      tf: ['判断正误：{s}是{o}的CEO。', '“{s}担任{o}的首席执行官”，这种说法对吗？', '请判断：{o}的CEO是{s}，是否正确？'],
      list: ['{s}担任哪些公司的CEO？', '{s}是哪几家公司的首席执行官？', '请列出{s}担任CEO的所有公司。'],
      reverseList: ['哪些人担任过{o}的CEO？', '请列出{o}的CEO。', '{o}的首席执行官有哪些人？'],
      statement: ['{s}是{o}的CEO。', '{s}担任{o}的首席执行官。', '{o}的CEO是{s}。'],
    },
  },
  SUPPLIES: {
    name: '供应对象', hop: '{x}的供应对象',
    p: {
      forward: ['{s}是什么的供应商？', '{s}供应什么？', '请问{s}为谁供货？'],
      reverse: ['{o}的供应商是谁？', '哪个{stype}是{o}的供应商？', '谁为{o}供货？'],
      tf: ['判断正误：{s}是{o}的供应商。', '“{s}为{o}供货”，这种说法对吗？', '请判断：{s}供应{o}，是否正确？'],
      list: ['{s}是哪些对象的供应商？', '{s}为哪些对象供货？', '请列出{s}的所有供应对象。'],
      reverseList: ['{o}有哪些供应商？', '哪些{stype}为{o}供货？', '请列出{o}的所有供应商。'],
      statement: ['{s}是{o}的供应商。', '{s}为{o}供货。', '{o}的供应商是{s}。'],
    },
  },
  CERTIFIED: {
    name: '获得的认证', hop: '{x}获得的认证',
    p: {
      forward: ['{s}获得了什么认证？', '{s}通过了哪项认证？', '请问{s}持有什么认证？'],
      reverse: ['哪个{stype}获得了{o}？', '通过{o}的{stype}是哪一个？', '谁持有{o}？'],
      tf: ['判断正误：{s}获得了{o}。', '“{s}通过了{o}”，这种说法对吗？', '请判断：{s}持有{o}，是否正确？'],
      list: ['{s}获得了哪些认证？', '{s}通过了哪些认证？', '请列出{s}持有的全部认证。'],
      reverseList: ['哪些{stype}获得了{o}？', '请列出通过{o}的{stype}。', '持有{o}的{stype}有哪些？'],
      statement: ['{s}获得了{o}。', '{s}通过了{o}。', '{s}持有{o}。'],
    },
  },
};

/** Attribute lines (ATTR:<key>): {name} is the attribute's label. */
export const ZH_ATTRIBUTE: Phrasings = {
  forward: ['{s}的{name}是什么？', '请问{s}的{name}是多少？', '资料中{s}的{name}是什么？', '{s}的{name}是？'],
  reverse: ['哪个{stype}的{name}是{o}？', '{name}为{o}的{stype}是哪一个？', '{name}是{o}的是哪个{stype}？'],
  tf: ['判断正误：{s}的{name}是{o}。', '“{s}的{name}为{o}”，这种说法对吗？', '请判断：{s}的{name}是{o}，是否正确？'],
  list: ['{s}有哪些{name}？', '{s}的{name}有哪些？', '请列出{s}的所有{name}。'],
  reverseList: ['哪些{stype}的{name}是{o}？', '请列出{name}为{o}的{stype}。', '{name}是{o}的{stype}有哪些？'],
  statement: ['{s}的{name}是{o}。', '{s}的{name}为{o}。', '资料显示，{s}的{name}是{o}。'],
};

/** Relation types a pack names but gives no phrasings for: {name} is the relation's name. */
export const ZH_GENERIC: Phrasings = {
  forward: ['{s}的{name}是什么？', '请问{s}的{name}是什么？', '资料中{s}的{name}是什么？'],
  reverse: ['{o}是哪个{stype}的{name}？', '哪个{stype}的{name}是{o}？', '{name}为{o}的是哪个{stype}？'],
  tf: ['判断正误：{s}的{name}是{o}。', '“{s}的{name}是{o}”，这种说法对吗？', '请判断：{s}的{name}为{o}，是否正确？'],
  list: ['{s}的{name}有哪些？', '请列出{s}的所有{name}。', '{s}有哪些{name}？'],
  reverseList: ['哪些{stype}的{name}是{o}？', '请列出{name}为{o}的{stype}。', '{name}是{o}的{stype}有哪些？'],
  // Neutral on purpose: pack names are sometimes verbs (收购), sometimes nouns seen from the
  // subject (创始人: X的创始人是Y) and sometimes nouns seen from the object (子公司, 供应商: X是Y的子公司),
  // so "{s}的{name}是{o}" states the reverse of the fact for half of them. These sentences only say
  // that the relation holds between the two; packs should give their own `statement` phrasings.
  statement: ['{s}与{o}之间存在“{name}”关系。', '{s}与{o}的关系是“{name}”。', '资料记载，{s}与{o}之间有“{name}”关系。'],
};

export const ZH_FIXED: LangTemplates = {
  definition: ['什么是{s}？', '{s}是什么？', '请简要介绍一下{s}。', '请解释{s}的含义。'],
  multiHop: ['{path}是什么？', '请问{path}是什么？', '根据资料，{path}是什么？', '{path}是？'],
  multiHopAnswer: '{steps}因此答案是{c}。',
  tfTrue: '正确。',
  tfFalse: '错误。',
  refusal: '资料中没有相关信息。',
  citation: '（出处：{doc}，第{page}页）',
  typeNouns: {
    company: '公司', organization: '机构', org: '机构', product: '产品', person: '人物', location: '地点', place: '地点',
    city: '城市', country: '国家', region: '地区', component: '部件', part: '部件', material: '材料', standard: '标准',
    certification: '认证', technology: '技术', category: '类别', concept: '概念', class: '类别', event: '事件', facility: '设施',
    brand: '品牌', model: '型号', date: '日期', year: '年份', price: '价格', value: '值', service: '服务',
  },
  typeFallback: '实体',
};
