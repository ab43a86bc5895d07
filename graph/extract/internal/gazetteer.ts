/**
 * Well-known organizations that carry no legal suffix in news text (谷歌, OpenAI, 字节跳动): a small
 * world-knowledge list like the pack's place names, used by every pack. Names that are also common
 * words (苹果, 小米, Apple, Amazon, Oracle, Meta, Tesla, Adobe — the dictionary matches Latin names
 * case-insensitively) are left out: their suffixed forms (苹果公司, Oracle Corporation) are found by
 * the suffix rules.
 */
export const WELL_KNOWN_ORGANIZATIONS: readonly string[] = [
  // Chinese technology and AI companies
  '百度', '阿里巴巴', '阿里云', '腾讯', '字节跳动', '华为', '京东', '美团', '网易', '拼多多', '快手', '商汤', '旷视', '科大讯飞', '智谱', '智谱AI',
  '月之暗面', '百川智能', '零一万物', '深度求索', '中芯国际', '比亚迪', '宁德时代', '蚂蚁集团',
  // International technology and AI companies (Chinese and Latin forms)
  '谷歌', 'Google', '微软', 'Microsoft', '英伟达', 'NVIDIA', 'Nvidia', '英特尔', 'Intel', '超威半导体', 'AMD', '高通', 'Qualcomm', '三星', 'Samsung',
  'IBM', '甲骨文', '脸书', 'Facebook', 'OpenAI', 'Anthropic', 'DeepMind', 'Google DeepMind', 'xAI', 'Mistral AI', 'Hugging Face', '特斯拉',
  '台积电', 'TSMC', '索尼', 'Sony', '亚马逊', '奈飞', 'Netflix', 'SpaceX', '推特', '雅虎', '思科', 'Cisco', 'Salesforce',
  'DeepSeek', 'Baidu', 'Alibaba', 'Tencent', 'ByteDance', 'Huawei',
];
