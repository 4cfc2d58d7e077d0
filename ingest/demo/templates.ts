/**
 * Text templates and name parts for the built-in demo feed (./generator.ts).
 *
 * Template syntax, expanded by the generator:
 * - `[a|b|c]` picks one alternative (no nesting; alternatives may hold slots);
 * - `{slot}` fills a slot. Entity slots: `district`, `city`, `cityShort`, `street`, `road`, `estate`,
 *   `village`, `park`, `river`, `company`, `factory`, `chemco`, `developer`, `builder`, `site`, `shop`,
 *   `platform`, `hospital`, `school`, `bus`, `boss`, `bldg`. Quantity slots: `n` (a head count without
 *   its measure word, so write `{n}名`, `{n}户`), `amount` (money with 元), `smallAmount` (always under
 *   100,000 yuan), `months`, `days`, `yearsN`, `year`, `date`, `mu`, `times` (repeat count, with 次),
 *   `ord` (第N次), `injured` (an injury count without measure word), `holidayNote`.
 *   Burst templates also use the `b…` slots fixed for one burst (see BURST_TEMPLATES).
 *
 * `n`, `amount`, `times`, `ord` and `injured` follow the severity tier the generator drew for the item,
 * so one template yields 一般, 重点 or 重大 texts. Every value in a slot is invented; company and
 * project names are composed from generic parts and are not meant to name real businesses.
 */
import type { TopicCode } from '../taxonomy.ts';

/** complaint: gets an optional escalation sentence appended; consult (咨询) and praise (表扬) never do. */
export type TemplateKind = 'complaint' | 'consult' | 'praise';

export interface PetitionTemplate {
  readonly kind: TemplateKind;
  readonly text: string;
}

export interface TopicTemplate extends PetitionTemplate {
  readonly topic: TopicCode;
}

const c = (text: string): PetitionTemplate => ({ kind: 'complaint', text });
const q = (text: string): PetitionTemplate => ({ kind: 'consult', text });
const p = (text: string): PetitionTemplate => ({ kind: 'praise', text });

/** The main template table: every topic of ../../spec/grading.md, ids are `<topic>/<index>`. */
export const TEMPLATES: Readonly<Record<TopicCode, readonly PetitionTemplate[]>> = {
  labour: [
    c(
      '我在{district}{factory}上班，公司已经{months}没发工资了，老板说资金周转困难，[不知道该找谁|劳动监察也去过了，一直没有结果]。',
    ),
    c('{site}的包工头拖欠我们{n}名农民工工资共{amount}，{holidayNote}，包工头电话一直关机。'),
    c('{company}以经营困难为由单方面解除了我的劳动合同，没有任何经济补偿，我在公司干了{yearsN}年。'),
    c('{factory}连续{months}没有给我们缴纳社保，{n}名员工的医保卡都停了，看病只能自费。'),
    c('{factory}要求员工每天加班到晚上十点，周末也不休息，不给加班费，不同意的就扣绩效。'),
    c('我们是原{company}的改制职工，共{n}人，当年承诺的工龄补偿至今没有落实，已经反映过{times}了。'),
    c('我在{road}一家餐馆打工{months}，老板拖欠我工资{smallAmount}后把店关了，人也联系不上。'),
    c('工伤认定书早就下来了，{company}一直拒绝支付工伤赔偿{smallAmount}，还说让我自己去告。'),
    c('{factory}突然宣布放假，{n}名员工只发最低生活费，社保也断缴了，[大家生活很困难|很多人房贷都还不上]。'),
    c('{builder}承包的{site}完工{months}了，拖欠我们班组的工钱{amount}，总包说钱早就付给劳务公司了。'),
    c('我在{company}做外卖骑手，站点说我们不是员工，送餐路上摔伤了也不给赔，这种情况算不算劳动关系？'),
    c('{district}{street}的{factory}拖欠{n}名保洁和保安的工资，{boss}说要等甲方付款，{holidayNote}。'),
    q('我想咨询一下，灵活就业人员在{city}怎么缴纳职工养老保险？每个月最低要交多少？'),
    q('请问退休人员养老金调整后什么时候补发？我母亲在{district}退休，今年的还没到账。'),
    q('想问一下，公司让我签自愿放弃社保的协议，这个协议有没有法律效力？'),
  ],
  land: [
    c('村里修路占了我家{mu}亩承包地，补偿款到现在还没发，找村委会也没人管。'),
    c('{village}的征地补偿标准比隔壁村低了一大截，{n}户村民都不同意，镇里一直不给解释。'),
    c('{district}{street}拆迁办在没有签协议的情况下，[半夜|趁我们上班的时候]把我家的房子强拆了，家具都埋在里面。'),
    c('我们{village}{n}户被拆迁户的安置房说好{year}年交付，到现在还在外面过渡，过渡费也停发了。'),
    c('{village}的集体土地被村干部私下租给{company}建厂房，租金去向不明，村民一分钱分红都没拿到。'),
    c('评估公司给我家房子的估价明显偏低，和周边差了{amount}，申请复核也一直没有回音。'),
    c('我家在{village}的宅基地被邻居占用建了围墙，村里调解了{times}都没有用。'),
    c('{developer}拿地以后把我们{village}的祖坟迁走了，说好的迁坟补偿一直没有到位。'),
    c('棚户区改造要拆我们{road}的老房子，可是安置方案一直没有公示，{n}户居民都很着急。'),
    c('{district}{village}的土地流转合同到期了，{company}不肯退地，也不给租金，{n}户村民的口粮田荒着。'),
    q('请问{district}的被征地农民社会保障怎么申请？需要准备哪些材料？'),
    q('想咨询一下，承包地被征收以后，地上附着物和青苗补偿的标准在哪里可以查到？'),
  ],
  environment: [
    c('{park}的{chemco}晚上偷偷排放废气，气味刺鼻，我们{estate}的居民晚上都不敢开窗。'),
    c('隔壁{road}的KTV每晚音响声音太大，一直吵到凌晨两点，投诉了{times}都没有用。'),
    c('{road}的工地夜间违规施工，打桩机半夜还在响，小区里的老人孩子都睡不着。'),
    c('{village}旁边的{river}被{factory}排的污水染黑了，河里的鱼都死了，[村里的井水也有味道|下游还在取水灌溉]。'),
    c('{estate}楼下的餐饮店油烟直排，整栋楼都是油烟味，{n}户居民联名投诉过。'),
    c('{district}{street}附近有人偷倒建筑垃圾，堆得像小山一样，刮风的时候灰尘满天。'),
    c('{park}旁边的垃圾中转站臭气熏天，夏天苍蝇蚊子特别多，[离小区不到一百米|就在学校旁边]。'),
    c('{factory}的烟囱每天冒黑烟，附近{estate}的阳台上落了一层黑灰，怀疑环保设施根本没开。'),
    c('{road}一家废品回收站露天焚烧电线，烧出来的烟又黑又臭，已经持续{days}了。'),
    c('{chemco}的危废桶就堆在厂区外面的空地上，下雨后流出的水五颜六色，{n}户村民很担心地下水。'),
    q('请问{district}的环境噪声投诉应该打哪个电话？晚上十点以后装修算不算扰民？'),
    q('想问一下，{company}新建的仓库离我们{estate}很近，环评报告在哪里可以公开查阅？'),
  ],
  housing: [
    c('{developer}开发的{estate}说好{year}年交房，现在工地已经{months}没人施工了，{n}户业主每个月还在还房贷。'),
    c('{estate}的物业费一年涨了一倍，服务却越来越差，楼道垃圾好几天没人清理。'),
    c('我们{estate}{bldg}的电梯三天两头坏，上个月还困过人，物业说维修资金申请不下来。'),
    c('{developer}把{estate}规划的绿地改建成商铺出售，业主们交涉了{times}都没有结果。'),
    c('{estate}交房{yearsN}年了还办不下不动产权证，开发商说是土地出让金没交清。'),
    c('我租的{road}的房子到期退租，房东以各种理由扣了我{smallAmount}押金不退。'),
    c('{estate}的地下车库一下雨就漏水，好几辆车都泡了，物业和开发商互相推诿。'),
    c('我家楼上在{estate}违规装修拆承重墙，楼下墙面都裂了，物业劝阻也不听。'),
    c('{estate}的业主委员会选举被物业公司操纵，{n}户业主的投票被作废了。'),
    c('{estate}的二次供水水箱常年不清洗，自来水有异味，我们担心影响健康。'),
    c('{developer}交付的{estate}精装房质量很差，墙面空鼓、窗户漏水，{n}户业主要求整改没人理。'),
    q('请问{district}的公租房申请条件是什么？外地户籍在{city}工作满几年可以申请？'),
    q('我想咨询一下，住宅专项维修资金怎么申请使用？需要多少业主签字同意？'),
  ],
  finance: [
    c('{platform}以高息理财为名吸收公众资金，{n}名投资人的钱都取不出来了，涉及金额{amount}，公司负责人已经失联。'),
    c('我在{platform}买了一款年化12%的理财产品，到期后一直不兑付，本金{smallAmount}拿不回来。'),
    c('{company}以养老项目为名向老年人推销养老服务卡，我父母被骗了{smallAmount}，[现在公司人去楼空|门店已经关了]。'),
    c('银行的理财经理把高风险的基金说成保本产品卖给我母亲，现在亏了{smallAmount}，银行不承认误导销售。'),
    c('有人在{estate}小区里拉老年人投资所谓的原始股，说一年翻倍，已经有{n}位老人投了钱。'),
    c('{platform}爆雷了，我们{n}个出借人组建了维权群，公安已经立案，但一直没有进展，涉及本金{amount}。'),
    c('{company}以代理数字货币为名发展下线，{district}有不少人参与，我怀疑是传销。'),
    c('我被拉进一个炒股群，按照所谓导师的指导在APP上投了{smallAmount}，现在无法提现。'),
    c('{platform}在{road}开了门店，天天送鸡蛋送米面，拉老人买年化15%的产品，我父亲已经投了{smallAmount}。'),
    q('请问怎么核实一家私募基金公司有没有合法备案？{platform}邀请我投资，我有点担心。'),
  ],
  safety: [
    c('{site}没有设置安全网，工人高空作业都不系安全带，随时可能出事。'),
    c('{road}的加油站旁边有人私自倒卖散装汽油，存在重大安全隐患。'),
    c('{factory}的车间消防通道被货物堵死，灭火器都过期了，我们工人都很担心。'),
    c('{estate}楼道里到处是电动车在充电，飞线从窗户拉下来，晚上看着很危险。'),
    c('{site}{date}有{injured}名工人从脚手架上摔下来受了伤，项目部不让报警，也不让声张。'),
    c('{district}{street}有一家无证小作坊在居民楼里生产烟花爆竹，[楼道里一股火药味|进出的车辆很多]。'),
    c('{factory}的仓库昨晚起火，所幸没有造成人员伤亡，但厂里的危化品一直露天堆放，没人管理。'),
    c('{park}里{chemco}的储罐区经常有刺激性气体泄漏，工人们说没有任何防护措施。'),
    c('{road}一段燃气管道施工后一直没有回填，旁边就是学校，孩子们上下学很不安全。'),
    c('{site}的塔吊司机没有操作证，上周吊装的钢管掉下来，差点砸到人。'),
    c('{factory}{date}发生机器绞伤事故，一名工人送医后抢救无效死亡，厂里想私了。'),
    q('想问一下，员工宿舍里可以用液化气罐做饭吗？我们{company}的宿舍好多人这样做。'),
  ],
  consumer: [
    c('{shop}突然关门，老板卷款跑了，我办的会员卡余额{smallAmount}没退，会员群里有{n}个人都是这种情况。'),
    c('网上买的手机是翻新机，商家不给退，平台也不处理，花了{smallAmount}。'),
    c('在{road}的{shop}做了一次护理，被强行推销办卡，当场刷了{smallAmount}，现在要求退款被拒绝。'),
    c('{estate}附近的超市卖过期食品，我买的牛奶过期了三天，找店长只肯换不肯赔。'),
    c('{company}卖给我的新车三个月内发动机就出了故障，4S店只修不换，我已经投诉了{times}。'),
    c('我在{shop}预付了一年的课时费{smallAmount}，上了不到两个月机构就停课了，{n}名家长都没拿到退款。'),
    c('装修公司收了{smallAmount}定金以后迟迟不开工，现在连公司地址都搬走了。'),
    c('{road}的一家健身房转让给了别人，新老板不认我们以前办的年卡，要求重新交钱。'),
    c('外卖平台上的一家店用过期食材，我吃了以后上吐下泻，商家拒绝赔偿。'),
    c('{company}把我的包裹弄丢了，里面东西价值{smallAmount}，只肯按运费的三倍赔偿。'),
    c('{shop}以免费体检为名，向{district}的老人高价推销保健品，我母亲前后花了{smallAmount}。'),
    q('请问七天无理由退货在线下实体店适用吗？我在{road}的商场买的衣服想退。'),
    q('想咨询一下，预付卡消费纠纷应该找市场监管局还是商务局？'),
  ],
  litigation: [
    c('法院执行局拖了{yearsN}年还没有执行我的案子，对方明明有房有车，就是执行不到。'),
    c('我被网络刷单诈骗了{smallAmount}，已经在{district}公安分局报了案，想了解案件进展。'),
    c('我的工伤赔偿案一审判决已经生效，{company}一直拒不履行，申请强制执行后也没有下文。'),
    c('{street}派出所对我被人打伤的案子一直不立案，说是民事纠纷，让我自己去起诉。'),
    c('我们{n}户业主起诉{developer}逾期交房，判决生效快一年了，违约金{amount}一分都没执行到。'),
    c('我对二审判决不服，认为法院认定事实错误，想申请再审，材料递上去{months}了没有回音。'),
    c('借给朋友{smallAmount}，有借条也有转账记录，他一直拖着不还，法院立案以后说找不到被告。'),
    c('我家被盗的案子报案{months}了，派出所一直说在查，没有任何结果。'),
    c('{company}伪造我的签名借了{amount}的贷款，我向{district}公安分局报案，他们说这是经济纠纷不予立案。'),
    q('请问申请法律援助需要什么条件？我是外地来{city}打工的，想打一个欠薪官司。'),
    q('想咨询一下，民事判决生效以后，多长时间内必须申请强制执行？'),
  ],
  conduct: [
    c('举报{street}的一名副主任在工程招标中收受贿赂{amount}，[还把工程给了自己的亲戚|村民们私下都知道]。'),
    c('{district}政务服务中心窗口的工作人员态度很差，办事材料让我来回跑了好几趟，每次说法都不一样。'),
    c('{village}的村支书把低保名额给了自己的亲戚，真正困难的人家却评不上。'),
    c('{district}城管执法人员在{road}执法时推搡摊主，还把东西直接扔上车，态度粗暴。'),
    c('{street}的社区干部上班时间在办公室打游戏，居民来办事没人理。'),
    c('{village}的村干部虚报土地流转面积，骗取国家补贴{amount}，请纪委调查。'),
    c('我在{district}不动产登记中心办证，工作人员暗示要找中介才能办得快，中介收了我{smallAmount}。'),
    p('{street}派出所的民警帮我找回了走失的老母亲，非常感谢他们的辛苦付出！'),
    p('{district}人社局劳动监察大队帮我们追回了被拖欠的工资，工作人员很负责，特此表扬。'),
    p('感谢{street}社区的网格员，下大雨那天挨家挨户帮我们独居老人转移，真的很暖心。'),
    p('{district}政务服务中心的工作人员主动延时帮我办完了手续，服务态度非常好，给他们点赞！'),
  ],
  public_service: [
    c('{estate}小区的燃气管道老化漏气，{n}户居民提心吊胆，燃气公司迟迟不来更换。'),
    c('{road}一带最近频繁停水，每次都没有提前通知，[上班族根本来不及储水|老人生活很不方便]。'),
    c('{bus}改线以后，我们{village}的村民去镇上要走四十分钟，老人看病很不方便。'),
    c('孩子是{district}户籍，按学区应该上{school}，教育局却说名额满了，要统筹到很远的学校。'),
    c('{hospital}挂号太难了，早上六点排队都挂不到专家号，黄牛手里却有大量号源。'),
    c('{estate}门口的路灯坏了{months}，晚上一片漆黑，已经有老人摔倒了。'),
    c('{road}的红绿灯设置不合理，早高峰堵车堵到一公里外，希望交通部门调整配时。'),
    c('{district}{street}的公共厕所长期没人打扫，臭味很大，路过的人都捂着鼻子。'),
    c('我父亲的医保异地备案办了{days}还没通过，在外地住院的费用一直不能直接结算。'),
    c('{road}的公交站台拆除以后一直没有恢复，乘客只能站在马路边等车，很危险。'),
    c('{estate}小区从{date}开始停电，供电公司说是线路检修，到现在也没个准信，{n}户居民冰箱里的东西都坏了。'),
    q('请问办理居住证需要在当地居住满多长时间？{district}在哪里可以办？'),
    q('想问一下，{city}的新生儿医保怎么办理？可以在网上办吗？'),
    q('请问{district}的老年人公交卡在哪里办理？需要带哪些材料？'),
  ],
  other: [
    c('园区企业欠缴供应商货款合计{amount}，十几家小企业面临倒闭。'),
    c('楼上邻居家的狗每天晚上叫个不停，沟通了好几次都不听，希望社区出面协调。'),
    c('网上流传{district}要封闭{road}进行改造的消息，不知道是不是真的，请有关部门澄清一下。'),
    c('我和邻居因为{estate}楼道里堆放杂物的问题发生纠纷，社区调解了也没用。'),
    c('我公司与{company}有合同纠纷，对方拖欠我方货款{amount}，多次催收无果。'),
    c('{estate}有人在楼顶养了很多鸽子，天天飞到我家阳台上拉屎，沟通了也不改。'),
    c('上次反映的问题说会有人联系我，到现在{days}了还没有回复，想问一下处理进度。'),
    p('这次问题处理得很及时，工作人员回访也很耐心，给你们点赞。'),
    p('感谢12345热线的帮助，我反映的问题很快就解决了，非常满意。'),
    q('想了解一下{city}今年还有没有发放消费券的活动？在哪里可以领？'),
  ],
};

/** Templates the enterprise hotline (企业热线) prefers: firms writing about their own business. */
export const ENTERPRISE_TEMPLATES: readonly TopicTemplate[] = [
  {
    topic: 'other',
    kind: 'complaint',
    text: '我公司是{park}的一家小微企业，{company}拖欠我们货款{amount}已经{months}了，多次催收无果。',
  },
  {
    topic: 'public_service',
    kind: 'complaint',
    text: '我公司在{park}，园区这个月频繁停电，生产线设备受损，供电公司一直没有给出原因。',
  },
  {
    topic: 'conduct',
    kind: 'complaint',
    text: '我公司在{district}办理施工许可，窗口工作人员态度恶劣，材料来回补了好几趟还是没办下来。',
  },
  { topic: 'conduct', kind: 'praise', text: '感谢{district}营商服务中心帮我们企业协调解决了用工难题，服务非常到位。' },
  {
    topic: 'public_service',
    kind: 'consult',
    text: '请问{city}高新技术企业认定的奖励资金今年什么时候兑现？我们是{park}的企业。',
  },
  {
    topic: 'finance',
    kind: 'complaint',
    text: '有自称银行合作机构的中介以帮企业办理低息贷款为名，收了我们{smallAmount}手续费后就联系不上了。',
  },
  { topic: 'labour', kind: 'consult', text: '我公司有一名员工连续旷工一个月，想咨询依法解除劳动合同需要走什么程序。' },
  {
    topic: 'land',
    kind: 'complaint',
    text: '我公司在{park}的厂房被列入拆迁范围，补偿标准一直谈不拢，[订单都不敢接了|企业已经两个月无法正常生产]。',
  },
  {
    topic: 'litigation',
    kind: 'complaint',
    text: '我公司胜诉的合同纠纷案件申请执行已经半年，对方有财产却一直执行不到位。',
  },
  { topic: 'public_service', kind: 'consult', text: '我们企业申报的稳岗补贴一直没有到账，想了解一下审核进度。' },
  {
    topic: 'public_service',
    kind: 'complaint',
    text: '{park}的污水管网一直没有接通，企业只能花钱请车外运污水，成本很高。',
  },
  {
    topic: 'conduct',
    kind: 'complaint',
    text: '{district}某部门工作人员检查时暗示我们企业购买指定公司的设备，否则就不给验收。',
  },
];

/**
 * Rare texts (about 0.5% of items) threatening extreme behaviour, which grade 重大 on their own.
 * Negated forms live in ESCALATION.negated and must not grade 重大.
 */
export const EXTREME_TEMPLATES: readonly TopicTemplate[] = [
  { topic: 'labour', kind: 'complaint', text: '再讨不回工钱，我就从{site}的楼上跳下去，反正也活不下去了。' },
  { topic: 'labour', kind: 'complaint', text: '{company}欠了我一年的工资，家里老人住院没钱治，我真的不想活了。' },
  { topic: 'land', kind: 'complaint', text: '要是敢来强拆我家在{village}的房子，我就在屋里浇上汽油自焚。' },
  { topic: 'finance', kind: 'complaint', text: '在{platform}投进去的钱全没了，那是全家的养老钱，我已经写好了遗书。' },
  { topic: 'litigation', kind: 'complaint', text: '官司打了{yearsN}年还是执行不了，再不解决我就在法院门口服毒。' },
  { topic: 'housing', kind: 'complaint', text: '{developer}再不交房，我就拿着刀去售楼处跟他们同归于尽。' },
];

/**
 * Sentences the generator may append to a complaint. `general` ones keep a text 一般 (polite asks,
 * "多次" without a count, negated threats); `key` ones make it 重点 (repeat ≥3, mass action, going over
 * heads, media exposure).
 */
export const ESCALATION = {
  polite: [
    '希望有关部门尽快核实处理。',
    '请相关部门帮忙协调解决。',
    '希望能尽快给个答复。',
    '之前也反映过多次，一直没有结果。',
    '这个问题已经反映过两次了，希望这次能有个结果。',
    '恳请领导重视。',
  ],
  negated: [
    '我们不会采取过激行为，只希望问题能依法解决。',
    '我们不会去堵路闹事，只想要个说法。',
    '我们不会越级上访，相信本地政府能解决好。',
    '大家都很克制，没有人去聚集。',
    '我不会去北京上访，只希望这边能给个说法。',
  ],
  key: [
    '这已经是第三次反映了，还是没人管。',
    '已经投诉过四次了，问题一直没有解决。',
    '如果再不解决，我们准备集体去{district}政府上访。',
    '大家商量好了，明天去{district}政府门口拉横幅。',
    '再不处理我们就去省信访局反映。',
    '实在不行我们就进京上访。',
    '我们已经联系了记者，准备把这件事发到网上曝光。',
    '现在大家都聚集在门口讨说法。',
    '有人说要去堵路，大家情绪很激动。',
  ],
} as const;

/**
 * Burst templates: near-identical texts of one incident. Extra slots, fixed for the whole burst:
 * `bsite` (construction site), `bcompany` (labour subcontractor), `bboss`, `bstreet`, `bmonths`,
 * `bdate` (a promised pay date), `bchem` (chemical plant), `bpark`, `bestate`, `briver`; and, rendered
 * afresh each time from one fixed value, `bn` (workers), `bamount` (wages owed), `bhh` (households).
 */
export const BURST_TEMPLATES = {
  wage_arrears: [
    c('我们是{bsite}的农民工，{bcompany}已经{bmonths}没发工资了，{bboss}一直躲着不见人。'),
    c('{bsite}拖欠我们{bn}个工友的工资，总共{bamount}，{holidayNote}。'),
    c('我在{bsite}干木工，工钱{smallAmount}一分没拿到，{bcompany}说是开发商没给工程款。'),
    c('{district}{bstreet}的{bsite}欠薪，现在大家都聚集在工地门口讨说法。'),
    c('{bsite}的工人工资被拖欠，{bboss}电话关机，劳务公司和总包互相推诿。'),
    c('再反映一次{bsite}欠薪的事，{bcompany}承诺{bdate}发工资，又没有兑现。'),
    c('我们{bn}名工人在{bsite}等了一上午了，没有人出来解决问题，我们不会闹事，只想要回血汗钱。'),
    c('我爸在{bsite}做钢筋工，被欠了{smallAmount}，{bcompany}的人只会说再等等。'),
    c('{bstreet}{bsite}又有一群工人围在项目部讨薪，{bcompany}欠了{bamount}，项目部已经停工了。'),
  ],
  pollution: [
    c('{bpark}的{bchem}又在偷排废气，整个{bestate}都是刺鼻的气味，窗户都不敢开。'),
    c('{district}{bstreet}附近有很浓的化学品臭味，好像是从{bchem}传出来的，小孩闻了头晕。'),
    c('{bchem}旁边的{briver}水变黑了，还漂着死鱼，怀疑工厂在偷排污水。'),
    c('{bestate}现在全是化工味，嗓子很难受，是不是{bchem}出事了？请环保部门马上来查。'),
    c('{bpark}方向飘来一股焦臭味，{bestate}很多居民都闻到了，大家都在打电话投诉。'),
    c('{briver}的河水发黑发臭，排污口就在{bchem}后面，周边{bhh}户居民都受到影响。'),
    c('我们{bestate}的业主已经在群里发了视频，{bchem}的味道太大了，再不管就发到网上曝光。'),
    c('{bchem}的烟囱冒黄烟，{bstreet}一带的空气呛得人直咳嗽，请尽快派人来处理。'),
  ],
} as const satisfies Record<string, readonly PetitionTemplate[]>;

/** How each channel wraps a body; `{body}` is the filled template with its escalation sentence. */
export const CHANNEL_FRAMES = {
  hotline: ['市民来电反映：{body}', '来电人反映：{body}', '{body}', '来电人称：{body}诉求：请相关部门核实处理。'],
  enterprise_hotline: ['企业来电反映：{body}', '{body}', '企业负责人来电：{body}'],
  letter: ['尊敬的领导：您好！{body}恳请领导重视，给予解决。', '{body}特此来信，盼复。', '尊敬的信访办领导：{body}'],
  web: ['{body}', '{body}希望尽快回复。'],
  visit: ['来访人反映：{body}', '来访人到{district}信访接待中心反映：{body}', '{body}'],
  email: ['您好：{body}盼复，谢谢！', '{body}'],
  social: ['{body}', '网友发帖：{body}', '{body}#{cityShort}民生#'],
} as const;

/** Frames for consultations and praise, which ask for nothing to be handled. */
export const QUIET_FRAMES = {
  hotline: ['来电人称：{body}', '{body}'],
  enterprise_hotline: ['企业来电：{body}', '{body}'],
  letter: ['尊敬的领导：您好！{body}', '{body}'],
  web: ['{body}'],
  visit: ['来访人称：{body}', '{body}'],
  email: ['您好：{body}谢谢！', '{body}'],
  social: ['{body}', '网友发帖：{body}'],
} as const satisfies Record<keyof typeof CHANNEL_FRAMES, readonly string[]>;

/** Parts names are composed from; combinations are generic on purpose. */
export const NAMES = {
  brands: [
    '鑫泰',
    '瑞丰',
    '盛德',
    '华启',
    '博远',
    '宏晟',
    '金澜',
    '恒锐',
    '联诚',
    '永固',
    '佳禾',
    '锦程',
    '晟达',
    '嘉航',
    '澄辉',
    '立昇',
    '东晟',
    '润禾',
    '泓源',
    '铭洲',
    '天翊',
    '弘毅',
    '协丰隆',
    '益众',
  ],
  manufacturing: [
    '精密机械',
    '电子科技',
    '纺织',
    '服饰',
    '包装材料',
    '五金制品',
    '塑胶制品',
    '光电',
    '汽车零部件',
    '新材料',
  ],
  services: ['物流', '商贸', '餐饮管理', '信息技术', '物业服务', '汽车销售', '快递服务', '人力资源'],
  estates: [
    '锦绣华庭',
    '枫林湾花园',
    '香樟苑',
    '御湖名邸',
    '翠竹新村',
    '澜岸花园',
    '金桂苑',
    '湖畔雅居',
    '景和嘉园',
    '春申花园',
    '碧波新村',
    '东湖丽景',
    '运河人家',
    '水韵华府',
    '梧桐里',
    '望湖名苑',
  ],
  shopKinds: ['健身会所', '教育培训中心', '美容美发店', '口腔诊所', '少儿游泳馆', '洗车行', '养生馆', '英语培训学校'],
  platformKinds: ['财富', '金服', '资产管理有限公司', '投资咨询有限公司', '理财工作室'],
  parks: [
    '东港工业园',
    '北桥工业坊',
    '新塘工业集中区',
    '南湖科技园',
    '西城产业园',
    '洋浦工业园',
    '金塘经济开发区',
    '滨江新材料产业园',
  ],
  villages: [
    '陆家村',
    '东浜村',
    '沈泾村',
    '塘桥村',
    '杨湾村',
    '徐墅村',
    '金港村',
    '北舍村',
    '前进村',
    '新胜村',
    '朱泾村',
    '永安社区',
  ],
  streets: [
    '白塘街道',
    '枫溪街道',
    '南湖街道',
    '清河街道',
    '湖西街道',
    '凤栖街道',
    '长洲街道',
    '东港镇',
    '新桥镇',
    '梅塘镇',
    '金泾镇',
    '横溪街道',
  ],
  roads: [
    '长青路',
    '星塘街',
    '观澜路',
    '友谊路',
    '新华路',
    '文昌路',
    '青年路',
    '迎春路',
    '横塘路',
    '滨河路',
    '金山路',
    '白鹭街',
    '通园路',
    '锦溪路',
  ],
  rivers: ['东塘河', '西浜河', '长泾河', '张泾港', '北横河', '南塘港', '石湖浦', '沙泾河'],
  siteKinds: ['项目工地', '安置房项目工地', '商业广场工地', '产业园二期工地', '学校扩建工地'],
  surnames: [
    '王',
    '李',
    '张',
    '刘',
    '陈',
    '杨',
    '黄',
    '赵',
    '吴',
    '周',
    '徐',
    '孙',
    '马',
    '朱',
    '胡',
    '郭',
    '何',
    '高',
    '林',
    '沈',
    '顾',
    '陆',
    '钱',
    '蒋',
    '范',
    '金',
    '姚',
    '潘',
  ],
  givenMale: [
    '伟',
    '强',
    '磊',
    '军',
    '勇',
    '杰',
    '涛',
    '明',
    '建国',
    '志强',
    '建华',
    '国平',
    '海峰',
    '永明',
    '卫东',
    '俊',
    '浩然',
    '子豪',
  ],
  givenFemale: ['芳', '敏', '静', '丽', '娟', '燕', '霞', '秀英', '桂兰', '玉珍', '美华', '雪梅', '婷', '欣怡', '佳琪'],
} as const;
