import type { LangTemplates, Phrasings } from './templates.js';

/**
 * Built-in English phrasings. Placeholders: {s} subject, {o} object, {stype}/{otype} type nouns,
 * {stypes} plural type noun, {name} relation or attribute name.
 */
export const EN_RELATIONS: Record<string, { name: string; hop: string; p: Phrasings }> = {
  LOCATED_IN: {
    name: 'location', hop: 'the location of {x}',
    p: {
      forward: ['Where is {s} located?', 'In which place is {s} located?', 'What is the location of {s}?', 'Where is {s} based?'],
      reverse: ['Which {stype} is located in {o}?', 'What {stype} is based in {o}?', 'Name the {stype} located in {o}.'],
      tf: ['True or false: {s} is located in {o}.', 'Is it true that {s} is located in {o}?', 'Verify this statement: {s} is based in {o}.'],
      list: ['In which places is {s} located?', 'List all locations of {s}.', 'What are the locations of {s}?'],
      reverseList: ['Which {stypes} are located in {o}?', 'List the {stypes} based in {o}.', 'What {stypes} are located in {o}?'],
      statement: ['{s} is located in {o}.', '{s} is based in {o}.', 'The location of {s} is {o}.'],
    },
  },
  PRICED_AT: {
    name: 'price', hop: 'the price of {x}',
    p: {
      forward: ['What is the price of {s}?', 'How much does {s} cost?', 'What does {s} sell for?', 'At what price is {s} offered?'],
      reverse: ['Which {stype} is priced at {o}?', 'What {stype} sells for {o}?', 'Name the {stype} that costs {o}.'],
      tf: ['True or false: {s} is priced at {o}.', 'Is it true that {s} costs {o}?', 'Verify this statement: {s} sells for {o}.'],
      list: ['What prices are listed for {s}?', 'List all prices of {s}.', 'At which prices is {s} offered?'],
      reverseList: ['Which {stypes} are priced at {o}?', 'List the {stypes} that cost {o}.', 'What {stypes} sell for {o}?'],
      statement: ['{s} is priced at {o}.', '{s} costs {o}.', 'The price of {s} is {o}.'],
    },
  },
  FOUNDED_IN: {
    name: 'founding date', hop: 'the founding date of {x}',
    p: {
      forward: ['When was {s} founded?', 'In what year was {s} established?', 'What is the founding date of {s}?', 'When did {s} start?'],
      reverse: ['Which {stype} was founded in {o}?', 'What {stype} was established in {o}?', 'Name the {stype} founded in {o}.'],
      tf: ['True or false: {s} was founded in {o}.', 'Is it true that {s} was established in {o}?', 'Verify this statement: {s} was founded in {o}.'],
      list: ['What founding dates do the documents give for {s}?', 'List every founding date recorded for {s}.', 'Which founding dates are stated for {s}?'],
      reverseList: ['Which {stypes} were founded in {o}?', 'List the {stypes} established in {o}.', 'What {stypes} were founded in {o}?'],
      statement: ['{s} was founded in {o}.', '{s} was established in {o}.', 'The founding date of {s} is {o}.'],
    },
  },
  RELEASED: {
    name: 'released product', hop: 'the product released by {x}',
    p: {
      forward: ['What product did {s} release?', 'Which product was launched by {s}?', 'What did {s} release?'],
      reverse: ['Which {stype} released {o}?', 'Who launched {o}?', 'What {stype} released {o}?'],
      tf: ['True or false: {s} released {o}.', 'Is it true that {o} was launched by {s}?', 'Verify this statement: {s} released {o}.'],
      list: ['What products has {s} released?', 'List all products released by {s}.', 'Which products did {s} launch?'],
      reverseList: ['Which {stypes} released {o}?', 'List the {stypes} that launched {o}.', 'Who released {o}?'],
      statement: ['{s} released {o}.', '{o} was launched by {s}.', '{s} launched {o}.'],
    },
  },
  ACQUIRED: {
    name: 'acquired company', hop: 'the company acquired by {x}',
    p: {
      forward: ['Which company did {s} acquire?', 'What did {s} acquire?', 'Whom did {s} buy?'],
      reverse: ['Which {stype} acquired {o}?', 'Who bought {o}?', 'By which {stype} was {o} acquired?'],
      tf: ['True or false: {s} acquired {o}.', 'Is it true that {o} was acquired by {s}?', 'Verify this statement: {s} bought {o}.'],
      list: ['Which companies has {s} acquired?', 'List all acquisitions of {s}.', 'What companies did {s} buy?'],
      reverseList: ['Which {stypes} acquired {o}?', 'List the {stypes} that bought {o}.', 'By which {stypes} was {o} acquired?'],
      statement: ['{s} acquired {o}.', '{o} was acquired by {s}.', '{s} bought {o}.'],
    },
  },
  PART_OF: {
    name: 'parent whole', hop: 'the whole that {x} is part of',
    p: {
      forward: ['What is {s} part of?', 'Which {otype} does {s} belong to?', 'Of what is {s} a part?'],
      reverse: ['Which {stype} is part of {o}?', 'What does {o} contain?', 'Name a {stype} that is part of {o}.'],
      tf: ['True or false: {s} is part of {o}.', 'Is it true that {s} belongs to {o}?', 'Verify this statement: {s} is a part of {o}.'],
      list: ['What is {s} part of?', 'List everything {s} belongs to.', 'Which {otype} items include {s}?'],
      reverseList: ['What parts does {o} include?', 'Which {stypes} are part of {o}?', 'List all parts of {o}.'],
      statement: ['{s} is part of {o}.', '{s} belongs to {o}.', '{s} is a part of {o}.'],
    },
  },
  HAS_PART: {
    name: 'part', hop: 'the part of {x}',
    p: {
      forward: ['What part does {s} have?', 'What is {s} made up of?', 'Which component does {s} include?'],
      reverse: ['Which {stype} includes {o}?', '{o} is part of which {stype}?', 'What {stype} contains {o}?'],
      tf: ['True or false: {s} includes {o}.', 'Is it true that {o} is a part of {s}?', 'Verify this statement: {s} contains {o}.'],
      list: ['What parts does {s} include?', 'What is {s} made of?', 'List all components of {s}.'],
      reverseList: ['Which {stypes} include {o}?', 'List the {stypes} that contain {o}.', 'What {stypes} have {o} as a part?'],
      statement: ['{s} includes {o}.', '{o} is a part of {s}.', '{s} contains {o}.'],
    },
  },
  IS_A: {
    name: 'category', hop: 'the category of {x}',
    p: {
      forward: ['What kind of thing is {s}?', 'What category does {s} belong to?', 'Which class does {s} fall under?'],
      reverse: ['Which {stype} is a {o}?', 'Name the {stype} that is a kind of {o}.', 'What {stype} falls under {o}?'],
      tf: ['True or false: {s} is a {o}.', 'Is it true that {s} is a kind of {o}?', 'Verify this statement: {s} belongs to the category {o}.'],
      list: ['Which categories does {s} belong to?', 'List all categories of {s}.', 'What kinds of thing is {s}?'],
      reverseList: ['Which {stypes} are a kind of {o}?', 'List the {stypes} that fall under {o}.', 'What {stypes} are {o}?'],
      statement: ['{s} is a {o}.', '{s} is a kind of {o}.', '{s} belongs to the category {o}.'],
    },
  },
  CEO_OF: {
    name: 'company led as CEO', hop: 'the company whose CEO is {x}',
    p: {
      forward: ['Which company is {s} the CEO of?', 'What company does {s} lead as CEO?', 'Where is {s} chief executive?'],
      reverse: ['Who is the CEO of {o}?', 'Who leads {o} as chief executive?', 'Name the CEO of {o}.'],
      tf: ['True or false: {s} is the CEO of {o}.', 'Is it true that {s} leads {o} as CEO?', 'Verify this statement: the CEO of {o} is {s}.'],
      list: ['Which companies is {s} the CEO of?', 'List all companies led by {s} as CEO.', 'Of which companies is {s} chief executive?'],
      reverseList: ['Who are the CEOs of {o}?', 'List the people who are CEO of {o}.', 'Which people lead {o} as CEO?'],
      statement: ['{s} is the CEO of {o}.', '{s} leads {o} as chief executive.', 'The CEO of {o} is {s}.'],
    },
  },
  SUPPLIES: {
    name: 'supplied party', hop: 'the party supplied by {x}',
    p: {
      forward: ['What does {s} supply?', 'Whom does {s} supply?', 'What is {s} a supplier of?'],
      reverse: ['Who supplies {o}?', 'Which {stype} is a supplier of {o}?', 'Name the supplier of {o}.'],
      tf: ['True or false: {s} supplies {o}.', 'Is it true that {s} is a supplier of {o}?', 'Verify this statement: {s} supplies {o}.'],
      list: ['What does {s} supply?', 'List everything {s} supplies.', 'Which parties does {s} supply?'],
      reverseList: ['Who are the suppliers of {o}?', 'Which {stypes} supply {o}?', 'List all suppliers of {o}.'],
      statement: ['{s} supplies {o}.', '{s} is a supplier of {o}.', 'A supplier of {o} is {s}.'],
    },
  },
  CERTIFIED: {
    name: 'certification', hop: 'the certification held by {x}',
    p: {
      forward: ['What certification does {s} hold?', 'Which certification has {s} obtained?', 'What is {s} certified to?'],
      reverse: ['Which {stype} holds {o}?', 'Who is certified to {o}?', 'Name the {stype} that obtained {o}.'],
      tf: ['True or false: {s} holds {o}.', 'Is it true that {s} is certified to {o}?', 'Verify this statement: {s} obtained {o}.'],
      list: ['Which certifications does {s} hold?', 'List all certifications of {s}.', 'What certifications has {s} obtained?'],
      reverseList: ['Which {stypes} hold {o}?', 'List the {stypes} certified to {o}.', 'Who has obtained {o}?'],
      statement: ['{s} holds {o}.', '{s} is certified to {o}.', '{s} obtained {o}.'],
    },
  },
};

export const EN_ATTRIBUTE: Phrasings = {
  forward: ['What is the {name} of {s}?', 'What {name} does {s} have?', 'According to the documents, what is the {name} of {s}?', "What is {s}'s {name}?"],
  reverse: ['Which {stype} has a {name} of {o}?', 'What {stype} has {o} as its {name}?', 'Name the {stype} whose {name} is {o}.'],
  tf: ['True or false: the {name} of {s} is {o}.', 'Is it true that the {name} of {s} is {o}?', "Verify this statement: {s}'s {name} is {o}."],
  list: ['What are the {name} values of {s}?', 'List every {name} of {s}.', 'Which {name} values does {s} have?'],
  reverseList: ['Which {stypes} have a {name} of {o}?', 'List the {stypes} whose {name} is {o}.', 'What {stypes} have {o} as {name}?'],
  statement: ['The {name} of {s} is {o}.', "{s}'s {name} is {o}.", '{s} has a {name} of {o}.'],
};

export const EN_GENERIC: Phrasings = {
  forward: ['What is the {name} of {s}?', 'According to the documents, what is the {name} of {s}?', "What is {s}'s {name}?"],
  reverse: ['Which {stype} has {o} as its {name}?', 'Name the {stype} whose {name} is {o}.', 'Of which {stype} is {o} the {name}?'],
  tf: ['True or false: the {name} of {s} is {o}.', 'Is it true that the {name} of {s} is {o}?', "Verify this statement: {s}'s {name} is {o}."],
  list: ['What are the {name} values of {s}?', 'List every {name} of {s}.', 'Which {name} values does {s} have?'],
  reverseList: ['Which {stypes} have {o} as their {name}?', 'List the {stypes} whose {name} is {o}.', 'Of which {stypes} is {o} the {name}?'],
  // Neutral on purpose: pack names may be verbs ("acquired"), prepositional ("subsidiary of",
  // "supplier of": "the {name} of" gives "of of" and reverses the fact) or nouns ("CEO"), so no
  // possessive frame reads correctly for all of them. These only say that the relation holds
  // between the two; packs should give their own `statement` phrasings. The first starts with {s}
  // so that several objects still make one sentence.
  statement: ['{s} is linked to {o} by the relation "{name}".', 'The relation "{name}" holds between {s} and {o}.', 'The documents link {s} and {o} by the relation "{name}".'],
};

export const EN_FIXED: LangTemplates = {
  definition: ['What is {s}?', 'Define {s}.', 'Briefly explain what {s} is.', 'What does the term {s} refer to?'],
  multiHop: ['What is {path}?', 'According to the documents, what is {path}?', 'Can you tell me {path}?', 'Name {path}.'],
  multiHopAnswer: '{steps} So the answer is {c}.',
  tfTrue: 'True.',
  tfFalse: 'False.',
  refusal: 'The documents do not say.',
  citation: ' (Source: {doc}, p. {page})',
  typeNouns: {
    company: 'company', organization: 'organization', org: 'organization', product: 'product', person: 'person',
    location: 'place', place: 'place', city: 'city', country: 'country', region: 'region', component: 'component',
    part: 'component', material: 'material', standard: 'standard', certification: 'certification', technology: 'technology',
    category: 'category', concept: 'concept', class: 'category', event: 'event', facility: 'facility', brand: 'brand',
    model: 'model', date: 'date', year: 'year', price: 'price', value: 'value', service: 'service',
  },
  typeFallback: 'entity',
};
