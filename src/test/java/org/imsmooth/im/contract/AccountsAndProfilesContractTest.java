package org.imsmooth.im.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.imsmooth.im.api.ItemFailure;
import org.imsmooth.im.api.TagValue;
import org.imsmooth.im.api.account.AccountCheckItem;
import org.imsmooth.im.api.account.AccountCheckRequest;
import org.imsmooth.im.api.account.AccountCheckResult;
import org.imsmooth.im.api.account.AccountImportRequest;
import org.imsmooth.im.api.account.MultiAccountImportRequest;
import org.imsmooth.im.api.account.MultiAccountImportResult;
import org.imsmooth.im.api.profile.PortraitGetRequest;
import org.imsmooth.im.api.profile.PortraitGetResult;
import org.imsmooth.im.api.profile.PortraitSetRequest;
import org.imsmooth.im.api.profile.UserProfile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** account_import, multiaccount_import (both forms), account_check, portrait_set, portrait_get. */
class AccountsAndProfilesContractTest extends ContractTestBase {

    private static final String NICK = "Tag_Profile_IM_Nick";
    private static final String IMAGE = "Tag_Profile_IM_Image";
    private static final String GENDER = "Tag_Profile_IM_Gender";
    private static final String BIRTHDAY = "Tag_Profile_IM_BirthDay";
    private static final String HOBBY = "Tag_Profile_Custom_Hobby";

    @Test
    void multiaccountImportOldFormLandsAndAccountCheckSeesIt() {
        MultiAccountImportResult r = accounts.multiaccountImport(MultiAccountImportRequest.ofIds(List.of("u1", "u2")));
        assertThat(r.allSucceeded()).isTrue();

        AccountCheckResult check = accounts.accountCheck(AccountCheckRequest.of(List.of("u1", "u2", "ghost")));
        assertThat(check.failedItems()).isEmpty();
        assertThat(check.resultItem()).extracting(AccountCheckItem::userId).containsExactly("u1", "u2", "ghost");
        assertThat(check.resultItem()).extracting(AccountCheckItem::imported).containsExactly(true, true, false);
        assertThat(check.notImported()).containsExactly("ghost");
    }

    @Test
    void multiaccountImportNewFormSetsAndUpdatesNickAndFace() {
        accounts.multiaccountImport(MultiAccountImportRequest.ofAccounts(List.of(
                new AccountImportRequest("n1", "Nick One", "https://img/1.png"), AccountImportRequest.of("n2"))));
        assertThat(profile("n1", NICK, IMAGE)).containsEntry(NICK, "Nick One").containsEntry(IMAGE, "https://img/1.png");

        // The new form updates an existing account's Nick and FaceUrl (reference 2.2).
        MultiAccountImportResult again = accounts.multiaccountImport(MultiAccountImportRequest.ofAccounts(List.of(
                new AccountImportRequest("n1", "Renamed", null))));
        assertThat(again.failedItems()).isEmpty();
        assertThat(profile("n1", NICK)).containsEntry(NICK, "Renamed");
    }

    @Test
    void multiaccountImportReportsExactlyTheBadIdsInFailAccounts() {
        String tooLong = "x".repeat(33);
        MultiAccountImportResult r = accounts.multiaccountImport(
                MultiAccountImportRequest.ofIds(List.of("ok1", tooLong, "ok2", "bad\tid")));
        assertThat(r.failedItems()).extracting(ItemFailure::itemId).containsExactly(tooLong, "bad\tid");
        assertThat(r.failedItems()).allSatisfy(f -> assertThat(f.code()).isEqualTo(ItemFailure.UNKNOWN_CODE));
        assertThat(accounts.accountCheck(AccountCheckRequest.of(List.of("ok1", "ok2"))).notImported()).isEmpty();
    }

    @Test
    void multiaccountImportOverOneHundredIsRefusedAsAWhole() {
        List<String> ids = IntStream.range(0, 101).mapToObj(i -> "bulk" + i).toList();
        permanent(70402, () -> accounts.multiaccountImport(MultiAccountImportRequest.ofIds(ids)));
        assertThat(accounts.accountCheck(AccountCheckRequest.of(List.of("bulk0"))).notImported()).containsExactly("bulk0");
    }

    @Test
    void accountImportIsIdempotentAndCarriesNickAndFace() {
        accounts.accountImport(new AccountImportRequest("single", "Solo", "https://img/s.png"));
        accounts.accountImport(new AccountImportRequest("single", "Solo", "https://img/s.png"));
        assertThat(accounts.accountCheck(AccountCheckRequest.of(List.of("single"))).resultItem())
                .singleElement().satisfies(i -> assertThat(i.imported()).isTrue());
        assertThat(profile("single", NICK, IMAGE)).containsEntry(NICK, "Solo").containsEntry(IMAGE, "https://img/s.png");
    }

    @Test
    void accountImportErrors() {
        permanent(70402, () -> accounts.accountImport(AccountImportRequest.of("y".repeat(33))));
        permanent(40601, () -> accounts.accountImport(new AccountImportRequest("longnick", "n".repeat(501), null)));
    }

    @Test
    void accountCheckOverOneHundredIsRefused() {
        List<String> ids = IntStream.range(0, 101).mapToObj(i -> "c" + i).toList();
        permanent(70402, () -> accounts.accountCheck(AccountCheckRequest.of(ids)));
    }

    @Test
    void portraitSetThenPortraitGetReturnsTheValues() {
        importAccounts("p1");
        profiles.portraitSet(new PortraitSetRequest("p1", List.of(TagValue.of(NICK, "Pat"),
                TagValue.of(GENDER, "Gender_Type_Female"), TagValue.of(BIRTHDAY, 20190419L), TagValue.of(HOBBY, "chess"))));

        PortraitGetResult r = profiles.portraitGet(new PortraitGetRequest(List.of("p1"), List.of(NICK, GENDER, BIRTHDAY, HOBBY)));
        assertThat(r.failedItems()).isEmpty();
        UserProfile p = r.userProfileItem().get(0);
        assertThat(p.toAccount()).isEqualTo("p1");
        Map<String, TagValue> byTag = p.profileItem().stream().collect(Collectors.toMap(TagValue::tag, t -> t));
        assertThat(byTag.get(NICK).valueAsString()).isEqualTo("Pat");
        assertThat(byTag.get(GENDER).valueAsString()).isEqualTo("Gender_Type_Female");
        assertThat(byTag.get(BIRTHDAY).valueAsLong()).isEqualTo(20190419L);
        assertThat(byTag.get(HOBBY).valueAsString()).isEqualTo("chess");
    }

    @Test
    void portraitSetErrorsLeaveTheProfileUnchanged() {
        importAccounts("p2");
        profiles.portraitSet(new PortraitSetRequest("p2", List.of(TagValue.of(NICK, "Before"))));
        permanent(40003, () -> profiles.portraitSet(new PortraitSetRequest("nobody", List.of(TagValue.of(NICK, "x")))));
        permanent(40605, () -> profiles.portraitSet(new PortraitSetRequest("p2",
                List.of(TagValue.of(NICK, "After"), TagValue.of(GENDER, "Gender_Type_Robot")))));
        permanent(40601, () -> profiles.portraitSet(new PortraitSetRequest("p2", List.of(TagValue.of(NICK, "n".repeat(501))))));
        permanent(40610, () -> profiles.portraitSet(new PortraitSetRequest("p2", List.of(TagValue.of(BIRTHDAY, "yesterday")))));
        permanent(40009, () -> profiles.portraitSet(new PortraitSetRequest("p2", List.of(TagValue.of("Tag_Profile_Custom_Nope", "x")))));
        assertThat(profile("p2", NICK)).containsEntry(NICK, "Before");
    }

    @Test
    void portraitGetReportsExactlyTheTwoUnknownAccounts() {
        importAccounts("g1", "g2");
        profiles.portraitSet(new PortraitSetRequest("g1", List.of(TagValue.of(NICK, "G one"))));
        PortraitGetResult r = profiles.portraitGet(new PortraitGetRequest(List.of("g1", "missing1", "g2", "missing2"), List.of(NICK)));
        assertThat(r.failedItems()).extracting(ItemFailure::itemId).containsExactly("missing1", "missing2");
        assertThat(r.failedItems()).extracting(ItemFailure::code).containsOnly(40003);
        assertThat(r.userProfileItem()).filteredOn(u -> u.toAccount().equals("g1")).singleElement()
                .satisfies(u -> assertThat(u.profileItem()).containsExactly(TagValue.of(NICK, "G one")));
    }

    @Test
    void portraitGetErrors() {
        permanent(40002, () -> profiles.portraitGet(new PortraitGetRequest(List.of(), List.of(NICK))));
        List<String> many = new ArrayList<>();
        IntStream.range(0, 101).forEach(i -> many.add("m" + i));
        permanent(40001, () -> profiles.portraitGet(new PortraitGetRequest(many, List.of(NICK))));
    }

    private Map<String, String> profile(String user, String... tags) {
        PortraitGetResult r = profiles.portraitGet(new PortraitGetRequest(List.of(user), List.of(tags)));
        assertThat(r.failedItems()).isEmpty();
        return r.userProfileItem().get(0).profileItem().stream()
                .collect(Collectors.toMap(TagValue::tag, TagValue::valueAsString));
    }
}
